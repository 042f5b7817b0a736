#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What it takes to give the terminal back — its saved attributes and the bytes that leave the
/// alternate screen — kept where a signal handler can reach it.
///
/// A signal handler can neither capture context nor take a lock, and may only call async-signal-safe
/// functions (`tcsetattr`, `write`, `signal`, `raise`), so this state lives in plain globals written by
/// the main thread *before* the handlers are installed and cleared only *after* they are removed. The
/// `restored` flag makes the restore run once whichever path gets there first: a normal exit, an error
/// unwinding through `TerminalSession.run`, `exit()` (atexit), or SIGINT/SIGTERM/SIGHUP/SIGQUIT.
enum TerminalRestoration {
    /// Installs the handlers and remembers how to restore `descriptor`. Call with raw mode not yet set.
    static func arm(descriptor: Int32, output: Int32, saved: termios) {
        savedAttributes.pointee = saved
        inputDescriptor = descriptor
        outputDescriptor = output
        restored = 0
        armed = 1
        if !atexitInstalled {
            atexitInstalled = true
            atexit { TerminalRestoration.restoreOnce() }
        }
        _ = restoreBytes.count  // initialize the lazy global now, never inside a handler
        for number in fatalSignals {
            previousHandlers[Int(number)] = signal(number) { received in
                TerminalRestoration.restoreOnce()
                // Die of the same signal, as the shell expects (exit status 128 + n).
                _ = signal(received, SIG_DFL)
                _ = raise(received)
            }
        }
    }

    /// Puts the previous signal handlers back (after the terminal has been restored).
    static func disarm() {
        for number in fatalSignals {
            _ = signal(number, previousHandlers[Int(number)] ?? SIG_DFL)
        }
        armed = 0
    }

    /// Restores the terminal once. Async-signal-safe: only `tcsetattr` and `write` on prepared memory.
    static func restoreOnce() {
        guard armed == 1, restored == 0 else { return }
        restored = 1
        _ = tcsetattr(inputDescriptor, TCSAFLUSH, savedAttributes)
        restoreBytes.withUnsafeBufferPointer { buffer in
            _ = write(outputDescriptor, buffer.baseAddress, buffer.count)
        }
    }

    static let fatalSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    // MARK: Global state (see the type's comment for why it is safe)

    // Written by the main thread before `signal()` installs the handlers that read it; the handler
    // reads it only while `armed`. Allocated once and never freed, so the handler never sees a
    // dangling pointer.
    nonisolated(unsafe) private static var savedAttributes: UnsafeMutablePointer<termios> = {
        let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        pointer.initialize(to: termios())
        return pointer
    }()
    nonisolated(unsafe) private static var inputDescriptor: Int32 = -1
    nonisolated(unsafe) private static var outputDescriptor: Int32 = -1
    // sig_atomic_t: the one type the C standard lets a signal handler write and the program read.
    nonisolated(unsafe) private static var armed: sig_atomic_t = 0
    nonisolated(unsafe) private static var restored: sig_atomic_t = 0
    nonisolated(unsafe) private static var atexitInstalled = false
    // Touched by the main thread only (arm/disarm), never by a handler.
    nonisolated(unsafe) private static var previousHandlers: [Int: sighandler_t?] = [:]

    /// Show the cursor, autowrap on, default style, leave the alternate screen. Built once, at start.
    private static let restoreBytes: [UInt8] = Array(
        (ANSI.resetStyle + ANSI.showCursor + ANSI.enableAutowrap + ANSI.leaveAlternateScreen).utf8)
}
