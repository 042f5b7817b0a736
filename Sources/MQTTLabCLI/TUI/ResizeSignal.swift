#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGWINCH turned into something `poll` can wait on: the handler writes one byte to a pipe (the
/// "self-pipe trick"), so a program blocked waiting for a key wakes up when the window is resized.
enum ResizeSignal {
    /// The end of the pipe to poll; -1 before `install`.
    static var readDescriptor: Int32 { descriptors.0 }

    static func install() {
        if descriptors.0 < 0 {
            var pair: [Int32] = [-1, -1]
            guard pipe(&pair) == 0 else { return }
            for descriptor in pair {
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            }
            descriptors = (pair[0], pair[1])
        }
        previous = signal(SIGWINCH) { _ in
            var byte: UInt8 = 1
            // Nonblocking: when the pipe is full a resize is already pending, and that is enough.
            _ = write(ResizeSignal.descriptors.1, &byte, 1)
        }
    }

    static func uninstall() {
        _ = signal(SIGWINCH, previous ?? SIG_DFL)
        _ = consume()
    }

    /// True when at least one resize happened since the last call; empties the pipe.
    static func consume() -> Bool {
        guard descriptors.0 >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        var any = false
        while read(descriptors.0, &buffer, buffer.count) > 0 { any = true }
        return any
    }

    // Set once by the main thread before the handler is installed and never changed after (the pipe
    // is kept for the life of the process), so the handler always writes to a valid descriptor.
    nonisolated(unsafe) private static var descriptors: (Int32, Int32) = (-1, -1)
    // Touched by the main thread only.
    nonisolated(unsafe) private static var previous: sighandler_t? = nil
}
