import MQTTBrokerCore
import MQTTBrokerStore

/// The SQLite store is what the broker's transport writes its durable changes to. Declared here, where
/// both sides are known, so neither target depends on the other.
extension BrokerStore: DurableStore {}
