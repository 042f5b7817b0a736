import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The student's program, started in a process group of its own so that everything it starts (a shell
/// script's children, a Python interpreter) is stopped with it. Its output (stdout and stderr together)
/// is kept, bounded to the last `limit` bytes, for the feedback.
final class StudentProgram: Sendable {
    let pid: pid_t
    private let output: Mutex<[UInt8]>
    private let status = Mutex<Int32?>(nil)
    private let limit: Int
    private let readerDone = DispatchSemaphore(value: 0)

    /// Starts `arguments` (looked up in PATH) with `environment` added to the current one.
    init(arguments: [String], environment: [String: String], limit: Int = 64 * 1024) throws {
        guard let executable = arguments.first else { throw ProgramError.empty }
        self.limit = limit
        self.output = Mutex([])
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ProgramError.cannotStart(executable, String(cString: strerror(errno))) }
        // Close-on-exec in this process, so no other child inherits the pipe and keeps the reader from seeing
        // the end; the child gets its own copies as 1 and 2 through dup2.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawnp(&child, executable, &actions, &attributes, argv, envp)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw ProgramError.cannotStart(executable, String(cString: strerror(result)))
        }
        pid = child
        let readFD = fds[0]
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(readFD, &buffer, buffer.count)
                if count <= 0 { break }
                self.output.withLock { kept in
                    kept.append(contentsOf: buffer[0..<count])
                    if kept.count > limit { kept.removeFirst(kept.count - limit) }
                }
            }
            close(readFD)
            self.readerDone.signal()
        }
    }

    /// The exit status once it ended (a signal shows as 128 + its number); nil while it runs.
    var exitStatus: Int32? {
        status.withLock { saved in
            if let saved { return saved }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            saved = Self.decode(raw)
            return saved
        }
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// Stops the whole process group: SIGTERM, then SIGKILL after a grace period; reaps the child.
    func stop(grace: Double = 0.5) {
        if exitStatus == nil {
            kill(-pid, SIGTERM)
            let deadline = Date().addingTimeInterval(grace)
            while exitStatus == nil && Date() < deadline { usleep(20_000) }
        }
        // Children it left behind share the group, even when the program itself has ended.
        kill(-pid, SIGKILL)
        if exitStatus == nil {
            status.withLock { saved in
                var raw: Int32 = 0
                if waitpid(pid, &raw, 0) == pid { saved = Self.decode(raw) }
            }
        }
        _ = readerDone.wait(timeout: .now() + 2)
    }

    /// What it printed so far (the last `limit` bytes).
    var text: String { String(decoding: output.withLock { $0 }, as: UTF8.self) }

    enum ProgramError: Error, CustomStringConvertible {
        case empty
        case cannotStart(String, String)
        var description: String {
            switch self {
            case .empty: "no program given (after --)"
            case .cannotStart(let name, let why): "cannot start \(name): \(why)"
            }
        }
    }
}
