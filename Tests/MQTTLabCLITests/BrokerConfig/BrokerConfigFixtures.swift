/// Configuration files shared by the parser tests and the Mosquitto peer check.
enum BrokerConfigFixtures {
    /// A teacher's broker for a classroom, as it might be copied from a Mosquitto setup: two listeners,
    /// offline delivery, flow control, logging lines and mqttlab's own `refuse_subscribe`.
    /// Ports and folder are text so the peer check can pass placeholders.
    static func classroom(port: String = "1883", secondPort: String = "1884", folder: String = "/var/lib/mqttlab") -> String {
        """
        # Aula 3: broker for the MQTT lessons.
        # Everyone connects to port \(port); the teacher's tools use \(secondPort) on loopback.

        listener \(port)
        listener \(secondPort) 127.0.0.1
        allow_anonymous true

        # Offline delivery (the "SMS" lesson)
        persistence true
        persistence_location \(folder)/
        persistent_client_expiration 14d
        max_queued_messages 100
        max_queued_bytes 1048576
        queue_qos0_messages false

        # Flow control and limits
        max_inflight_messages 10
        max_packet_size 65536
        max_keepalive 300
        max_connections 40
        max_topic_alias 5
        retain_available true
        sys_interval 5

        log_dest stderr
        log_type error
        log_type warning
        connection_messages true
        log_timestamp true

        # Lesson 7 shows a refused subscription.
        refuse_subscribe secret/#
        refuse_subscribe $SYS/broker/clients/#

        """
    }
}
