/// Why the broker could not start.
public enum BrokerServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another program already listens on this port.
    case addressInUse(host: String, port: Int)
    /// The address is not one this machine has, or not an address at all.
    case cannotResolve(host: String, port: Int, reason: String)
    /// Listening failed for another reason (permissions on ports below 1024, …).
    case cannotListen(host: String, port: Int, reason: String)
    /// `shutdown()` was called before; a server runs once.
    case alreadyShutDown

    public var description: String {
        switch self {
        case .addressInUse(let host, let port): "\(host):\(port) is already in use"
        case .cannotResolve(let host, let port, let reason): "cannot use address \(host):\(port): \(reason)"
        case .cannotListen(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason)"
        case .alreadyShutDown: "the broker was already shut down"
        }
    }
}
