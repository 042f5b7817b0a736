/// SUBSCRIBE: one or more topic filters, each with its options.
public struct Subscribe: Sendable, Equatable {
    /// The options byte of one filter. In 3.1.1 only the QoS bits exist.
    public struct Options: Sendable, Equatable {
        /// 5.0 Retain Handling: when retained messages are sent for this subscription.
        public enum RetainHandling: UInt8, Sendable, CaseIterable {
            case sendOnSubscribe = 0
            case sendOnlyIfNew = 1
            case doNotSend = 2
        }

        public var qos: QoS
        public var noLocal: Bool
        public var retainAsPublished: Bool
        public var retainHandling: RetainHandling

        public init(qos: QoS, noLocal: Bool = false, retainAsPublished: Bool = false, retainHandling: RetainHandling = .sendOnSubscribe) {
            self.qos = qos
            self.noLocal = noLocal
            self.retainAsPublished = retainAsPublished
            self.retainHandling = retainHandling
        }

        /// The options byte as sent on the wire.
        public var byte: UInt8 {
            qos.rawValue | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | (retainHandling.rawValue << 4)
        }
    }

    public struct Subscription: Sendable, Equatable {
        public var filter: String
        public var options: Options

        public init(filter: String, options: Options) {
            self.filter = filter
            self.options = options
        }

        public init(filter: String, qos: QoS) {
            self.init(filter: filter, options: Options(qos: qos))
        }
    }

    public var packetID: UInt16
    public var subscriptions: [Subscription]
    public var properties: Properties

    public init(packetID: UInt16, subscriptions: [Subscription], properties: Properties = []) {
        self.packetID = packetID
        self.subscriptions = subscriptions
        self.properties = properties
    }
}
