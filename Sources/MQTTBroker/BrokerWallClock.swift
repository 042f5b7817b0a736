#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A wall-clock time (since 1970, UTC), for showing when something happened. The engine runs on
/// monotonic time; this is only for people.
public struct BrokerWallClock: Sendable, Hashable, Comparable {
    public var seconds: Int
    public var nanoseconds: Int

    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func now() -> BrokerWallClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return BrokerWallClock(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec))
    }

    public static func < (lhs: BrokerWallClock, rhs: BrokerWallClock) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}
