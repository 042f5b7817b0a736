#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Something that happened at the terminal.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    /// The window changed size (SIGWINCH); the next `draw` repaints the whole screen.
    case resize(TerminalSize)
    /// The timeout given to `nextEvent` passed with no key: time to poll a file, animate, etc.
    case timeout
    /// The terminal went away (hang-up, closed pty): the program should end.
    case inputClosed
}

public enum TerminalSessionError: Error, CustomStringConvertible {
    case notATerminal
    case cannotSetAttributes(errno: Int32)

    public var description: String {
        switch self {
        case .notATerminal: "this needs a terminal (no TTY on standard input or output, and /dev/tty cannot be opened)"
        case .cannotSetAttributes(let code): "cannot switch the terminal to raw mode: \(String(cString: strerror(code)))"
        }
    }
}

/// A full-screen terminal program's view of the terminal: raw-mode keys, resize notifications and
/// whole-frame drawing on the alternate screen. Generic: it knows nothing about what is drawn.
///
/// Use it through `run`, which always gives the terminal back as it found it — on return, on a thrown
/// error, on `exit()`, and on SIGINT/SIGTERM/SIGHUP/SIGQUIT (see `TerminalRestoration`). One session at a
/// time, on one thread: the type is deliberately not `Sendable`.
public final class TerminalSession {
    public let inputDescriptor: Int32
    public let outputDescriptor: Int32
    public private(set) var size: TerminalSize

    private var decoder = KeyDecoder()
    private var queued: [Key] = []
    private var renderer = FrameRenderer()
    private var ownsInputDescriptor: Bool
    /// How long to wait for the rest of an escape sequence before a lone ESC counts as the Escape key.
    private let escapeDelay: Duration = .milliseconds(40)

    /// Enters raw mode and the alternate screen, runs `body`, and restores the terminal however `body` ends.
    public static func run<Result>(_ body: (TerminalSession) throws -> Result) throws -> Result {
        let session = try TerminalSession()
        defer { session.leave() }
        try session.enter()
        return try body(session)
    }

    private init() throws {
        var input = STDIN_FILENO
        var owns = false
        if isatty(STDIN_FILENO) != 1 {
            // Input was piped (e.g. hex on stdin): keys still come from the controlling terminal.
            input = open("/dev/tty", O_RDWR | O_CLOEXEC)
            guard input >= 0 else { throw TerminalSessionError.notATerminal }
            owns = true
        }
        let output = isatty(STDOUT_FILENO) == 1 ? STDOUT_FILENO : input
        guard isatty(output) == 1 else {
            if owns { close(input) }
            throw TerminalSessionError.notATerminal
        }
        inputDescriptor = input
        outputDescriptor = output
        ownsInputDescriptor = owns
        size = TerminalSize.of(descriptor: output) ?? TerminalSize(columns: 80, rows: 24)
    }

    private func enter() throws {
        var saved = termios()
        guard tcgetattr(inputDescriptor, &saved) == 0 else { throw TerminalSessionError.cannotSetAttributes(errno: errno) }
        ResizeSignal.install()
        TerminalRestoration.arm(descriptor: inputDescriptor, output: outputDescriptor, saved: saved)
        var raw = saved
        // Raw input: no line editing, no echo, no Ctrl-S/Ctrl-Q flow control, CR not turned into NL.
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        raw.c_cflag |= tcflag_t(CS8)
        // ISIG stays on so Ctrl-C still interrupts (and the handler restores the terminal); Ctrl-Z is
        // disabled instead, because a stopped program would leave the shell in raw mode.
        withUnsafeMutableBytes(of: &raw.c_cc) { characters in characters[Int(VSUSP)] = 0 }
        // Reads return whatever is there; waiting is done with poll().
        withUnsafeMutableBytes(of: &raw.c_cc) { characters in
            characters[Int(VMIN)] = 0
            characters[Int(VTIME)] = 0
        }
        guard tcsetattr(inputDescriptor, TCSAFLUSH, &raw) == 0 else {
            let code = errno
            TerminalRestoration.disarm()
            throw TerminalSessionError.cannotSetAttributes(errno: code)
        }
        writeAll(ANSI.enterAlternateScreen + ANSI.hideCursor + ANSI.disableAutowrap + ANSI.clearScreen)
    }

    private func leave() {
        TerminalRestoration.restoreOnce()
        TerminalRestoration.disarm()
        ResizeSignal.uninstall()
        if ownsInputDescriptor { close(inputDescriptor) }
    }

    /// Replaces the screen with `lines` (cut and padded to the width, see `FrameRenderer`).
    public func draw(_ lines: [String]) {
        let output = renderer.render(lines, size: size)
        if !output.isEmpty { writeAll(output) }
    }

    /// Waits for the next key, resize or timeout. `timeout` nil waits for ever.
    public func nextEvent(timeout: Duration? = nil) -> TerminalEvent {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        while true {
            if !queued.isEmpty { return .key(queued.removeFirst()) }
            if ResizeSignal.consume() {
                let newSize = TerminalSize.of(descriptor: outputDescriptor) ?? size
                size = newSize
                renderer.invalidate()
                return .resize(newSize)
            }
            var wait = deadline.map { max(.zero, $0 - clock.now) }
            if decoder.hasPending { wait = min(wait ?? escapeDelay, escapeDelay) }
            if let wait, wait == .zero, !decoder.hasPending { return .timeout }
            switch waitForInput(wait) {
            case .readable:
                var buffer = [UInt8](repeating: 0, count: 1024)
                let count = read(inputDescriptor, &buffer, buffer.count)
                if count > 0 {
                    queued += decoder.feed(buffer[0..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    return .inputClosed
                }
            case .interrupted:
                continue
            case .timedOut:
                if decoder.hasPending {
                    queued += decoder.flushPending()
                } else if deadline != nil {
                    return .timeout
                }
            case .closed:
                return .inputClosed
            }
        }
    }

    private enum WaitResult { case readable, interrupted, timedOut, closed }

    private func waitForInput(_ wait: Duration?) -> WaitResult {
        var descriptors = [
            pollfd(fd: inputDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: ResizeSignal.readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let milliseconds: Int32 = wait.map { duration in
            let (seconds, attoseconds) = duration.components
            return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        } ?? -1
        let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        if ready < 0 { return errno == EINTR ? .interrupted : .closed }
        if ready == 0 { return .timedOut }
        if descriptors[1].revents != 0 { return .interrupted }  // a resize: handled at the top of the loop
        if descriptors[0].revents & Int16(POLLIN) != 0 { return .readable }
        return .closed  // POLLHUP / POLLERR with nothing to read
    }

    private func writeAll(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(outputDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return  // the terminal is gone; nextEvent will report it
            }
        }
    }
}
