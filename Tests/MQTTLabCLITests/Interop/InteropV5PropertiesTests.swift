import XCTest

/// MQTT 5.0 properties set with mosquitto_pub/sub `-D`, and the ones Mosquitto itself sends, compared field by
/// field with tshark (property ids `mqtt.property_id`, values in `mqtt.prop_number` / `mqtt.prop_string` /
/// `mqtt.prop_key`+`mqtt.prop_value` / `mqtt.property.content_type` / `.topic_alias` / `.max_qos`).
final class InteropV5PropertiesTests: InteropTestCase {
    /// CONNECT: session expiry, receive maximum, maximum packet size, topic alias maximum, user property;
    /// SUBSCRIBE: subscription identifier (echoed by the broker in the PUBLISH it forwards).
    func testConnectAndSubscribeProperties() throws {
        try runInteropScenario(.v5, expectedTypes: Self.handshake + ["SUBSCRIBE", "SUBACK", "PUBLISH"]) { scenario in
            let subscriber = try scenario.clients.startSub([
                "-t", "props/#", "-q", "1", "-C", "1", "-W", "8", "-i", "props-sub",
                "-D", "connect", "session-expiry-interval", "3600",
                "-D", "connect", "receive-maximum", "10",
                "-D", "connect", "maximum-packet-size", "2048",
                "-D", "connect", "topic-alias-maximum", "4",
                "-D", "connect", "user-property", "who", "sub",
                "-D", "subscribe", "subscription-identifier", "5",
            ])
            try scenario.waitForSubscription("props-sub")
            try scenario.clients.pub(["-t", "props/id", "-m", "with sub id", "-q", "1", "-i", "props-pub"])
            try scenario.clients.waitForExit(subscriber)
        }
    }

    /// PUBLISH: two user properties, message expiry, content type, response topic, correlation data, payload
    /// format indicator — on the way in and on the copy the broker forwards.
    func testPublishProperties() throws {
        try runInteropScenario(.v5, expectedTypes: Self.handshake + ["SUBSCRIBE", "SUBACK", "PUBLISH", "PUBACK"]) { scenario in
            let subscriber = try scenario.clients.startSub(["-t", "props/#", "-q", "1", "-C", "1", "-W", "8", "-i", "pp-sub"])
            try scenario.waitForSubscription("pp-sub")
            try scenario.clients.pub([
                "-t", "props/a", "-m", "{\"x\":1}", "-q", "1", "-i", "pp-pub",
                "-D", "publish", "user-property", "k", "v",
                "-D", "publish", "user-property", "clave", "valor",
                "-D", "publish", "message-expiry-interval", "60",
                "-D", "publish", "content-type", "text/plain",
                "-D", "publish", "response-topic", "r/t",
                "-D", "publish", "correlation-data", "abc123",
                "-D", "publish", "payload-format-indicator", "1",
            ])
            try scenario.clients.waitForExit(subscriber)
        }
    }

    /// CONNECT with a will carrying properties (will delay, message expiry, content type, user property, payload
    /// format, response topic, correlation data); the will is published with them when the client dies.
    func testWillProperties() throws {
        try runInteropScenario(.v5, expectedTypes: Self.handshake + ["SUBSCRIBE", "SUBACK", "PUBLISH"]) { scenario in
            let watcher = try scenario.clients.startSub(["-t", "props/will", "-C", "1", "-W", "8", "-i", "wp-watch"])
            try scenario.waitForSubscription("wp-watch")
            let doomed = try scenario.clients.startSub([
                "-t", "props/x", "-i", "wp-willer", "-k", "60",
                "--will-topic", "props/will", "--will-payload", "bye", "--will-qos", "1",
                "-D", "will", "will-delay-interval", "0",
                "-D", "will", "message-expiry-interval", "30",
                "-D", "will", "content-type", "text/plain",
                "-D", "will", "user-property", "wk", "wv",
                "-D", "will", "payload-format-indicator", "1",
                "-D", "will", "response-topic", "w/r",
                "-D", "will", "correlation-data", "cd",
            ])
            try scenario.waitForSubscription("wp-willer")
            doomed.stop(signal: SIGKILL, grace: 2)
            try scenario.clients.waitForExit(watcher)
        }
    }

    /// DISCONNECT with a reason code: mosquitto_sub `-W` timing out sends 0x04 "Disconnect with Will Message";
    /// mosquitto_pub sends DISCONNECT with session expiry and a user property.
    /// (Mosquitto 2.0.11 does not send DISCONNECT 0x8E on session takeover — it just closes the socket.)
    func testDisconnectReasonAndProperties() throws {
        try runInteropScenario(.v5, expectedTypes: Self.handshake + ["SUBSCRIBE", "SUBACK", "PUBLISH"]) { scenario in
            try scenario.clients.sub(["-t", "never/here", "-W", "1", "-i", "times-out"], expectFailure: true)
            try scenario.clients.pub([
                "-t", "props/d", "-m", "x", "-i", "dis-props",
                "-D", "disconnect", "session-expiry-interval", "0",
                "-D", "disconnect", "user-property", "dk", "dv",
            ])
        }
    }

    /// Properties Mosquitto sends itself: CONNACK with topic alias maximum, server keep alive, retain available,
    /// maximum packet size, receive maximum and maximum QoS; request problem / response information on CONNECT.
    func testBrokerLimitsInConnack() throws {
        try runInteropScenario(
            .v5,
            extraConfig: ["max_keepalive 30", "max_qos 1", "retain_available false", "max_packet_size 10000", "max_topic_alias 5"],
            expectedTypes: Self.handshake + ["PUBLISH", "PUBACK"]
        ) { scenario in
            try scenario.clients.pub([
                "-t", "lim/a", "-m", "limited", "-q", "1", "-i", "limits",
                "-D", "connect", "request-problem-information", "1",
                "-D", "connect", "request-response-information", "1",
            ])
        }
    }
}
