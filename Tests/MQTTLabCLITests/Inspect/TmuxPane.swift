import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program running in a detached tmux pane of a given size, on a tmux server of its own (`-L`, so a
/// developer's tmux is never touched): keys in with send-keys, the screen out with capture-pane, and a
/// resize. `close()` kills that one server, which ends the program; deinit does it too.
final class TmuxPane {
    let tmux: URL
    let socketName: String
    let directory: URL
    private let statusFile: URL
    private var closed = false
    private var commandCount = 0

    /// The tmux binary, or an XCTSkip saying how to get it.
    static func locate() throws -> URL {
        guard let tmux = InteropTools.find("tmux") else {
            throw XCTSkip("the terminal test needs tmux on PATH (apt-get install -y tmux)")
        }
        return tmux
    }

    /// Starts `command` (its words are quoted for tmux's shell) in a `columns`x`rows` pane.
    init(command: [String], columns: Int, rows: Int, environment: [String: String], directory: URL) throws {
        tmux = try Self.locate()
        socketName = "mqttlab-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.directory = directory
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }
        statusFile = directory.appendingPathComponent("\(socketName).status")
        // tmux 3.3 does not always report a dead pane's status, so the pane's shell writes it to a file.
        let shellCommand = (["env"] + assignments + command.map(Self.quote)).joined(separator: " ")
            + "; echo $? > " + Self.quote(statusFile.path)
        try run(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", String(columns), "-y", String(rows), shellCommand,
                 ";", "set-option", "-t", "main", "remain-on-exit", "on"])
    }

    deinit { close() }

    /// The screen as text, one string per row (trailing spaces removed by tmux).
    func screen() throws -> [String] {
        var rows = try run(["capture-pane", "-p", "-t", "main"]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if rows.last == "" { rows.removeLast() }  // the newline that ends the last row
        return rows
    }

    /// The screen as one text, for failure messages (never throws).
    func dump() -> String {
        (try? screen().joined(separator: "\n")) ?? "(the tmux pane could not be read)"
    }

    /// The screen with its escape sequences (colors, reverse video).
    func screenWithEscapes() throws -> String { try run(["capture-pane", "-p", "-e", "-t", "main"]) }

    /// Keys as tmux names them ("n", "Right", "Down", "Tab", "Enter", "Escape") or literal text.
    func send(_ keys: String...) throws {
        try run(["send-keys", "-t", "main"] + keys)
    }

    func resize(columns: Int, rows: Int) throws {
        try run(["resize-window", "-t", "main", "-x", String(columns), "-y", String(rows)])
    }

    /// The program's exit status once it has ended ("0"), nil while it runs.
    func exitStatus() -> String? {
        guard let text = try? String(contentsOf: statusFile, encoding: .utf8), text.hasSuffix("\n") else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds (true) or `timeout` passes (false).
    func waitUntil(timeout: TimeInterval = 10, _ condition: ([String]) -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if condition(try screen()) { return true }
            usleep(50_000)
        } while Date() < deadline
        return false
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? run(["kill-server"])
    }

    /// Runs one tmux command. Not through Foundation's `Process`: it notices a child's exit through a
    /// descriptor the child inherits, and the tmux server that `new-session` forks keeps it open, so the
    /// client would look alive for ever. posix_spawn and waitpid see the client itself end.
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        commandCount += 1
        let output = directory.appendingPathComponent("tmux-\(commandCount).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let words = [tmux.path, "-L", socketName] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux.path, &actions, nil, &argv, environ)
        guard spawned == 0 else { throw InteropError("cannot start tmux: error \(spawned)") }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(10)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw InteropError("tmux \(arguments.joined(separator: " ")) did not finish within 10 s")
            }
            usleep(5_000)
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        if !(exited && code == 0) && arguments.first != "kill-server" {
            throw InteropError("tmux \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    private static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
