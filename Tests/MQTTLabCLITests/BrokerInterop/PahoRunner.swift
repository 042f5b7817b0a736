import Foundation
import XCTest

/// Runs a short Python scenario with paho-mqtt 2.x against the broker and decodes its JSON result.
///
/// A scenario is a Python function `def scenario():` that returns a JSON-able value; `PahoRunner.prelude` gives it
/// `LabClient` (a paho client on its own network-loop thread that records CONNACK, SUBACKs, messages and the
/// disconnect), `props(...)`, `sub_options(...)`, raw-socket helpers and the parameters in `ARGS`. The script
/// prints one line, `{"ok": true, "result": …}` or `{"ok": false, "error": traceback}`, and every client is closed
/// whatever happens. The scripts live here as string literals, so SwiftPM never sees a `.py` file.
struct PahoRunner {
    let python: URL
    let port: Int
    let directory: URL

    /// The python3 on PATH with paho-mqtt ≥ 2, or an XCTSkip saying what is missing.
    static func locate() throws -> URL {
        try PahoAvailability.shared.python()
    }

    /// Runs `scenario` (Python source defining `def scenario():`) with `ARGS` = `parameters` + port + version.
    func run<Result: Decodable>(
        _ scenario: String, version: WireVersion, parameters: [String: any Sendable] = [:], timeout: TimeInterval = 20,
        label: String? = nil, as type: Result.Type = Result.self
    ) throws -> Result {
        // Never name the script paho.py: its folder comes first on sys.path and would shadow the package.
        let label = label ?? "scenario-\(UUID().uuidString.prefix(6).lowercased())"
        var arguments: [String: Any] = parameters
        arguments["port"] = port
        arguments["version"] = version.rawValue
        let json = try JSONSerialization.data(withJSONObject: arguments, options: [.sortedKeys])
        let script = Self.prelude + "\n\n" + scenario + "\n\nrun(scenario)\n"
        let scriptURL = directory.appendingPathComponent("\(label).py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let outcome = try InteropProcess.run(
            python, ["-u", scriptURL.path, String(decoding: json, as: UTF8.self)], label: label, directory: directory,
            timeout: timeout
        )
        let context = "paho scenario \(scriptURL.path) (\(version))"
        if outcome.timedOut {
            throw InteropError("\(context) did not finish within \(timeout) s\nstdout: \(outcome.stdoutText.suffix(2000))\nstderr: \(outcome.stderr.suffix(2000))")
        }
        guard let line = outcome.stdoutText.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw InteropError("\(context) printed no result (exit \(outcome.status))\nstderr: \(outcome.stderr.suffix(2000))")
        }
        let envelope: PahoEnvelope<Result>
        do {
            envelope = try JSONDecoder().decode(PahoEnvelope<Result>.self, from: Data(line.utf8))
        } catch {
            throw InteropError("\(context): cannot decode its result as \(Result.self): \(error)\n\(line.prefix(3000))")
        }
        guard envelope.ok, let result = envelope.result else {
            throw InteropError("\(context) failed:\n\(envelope.error ?? "?")\nstderr: \(outcome.stderr.suffix(1500))")
        }
        return result
    }
}

private struct PahoEnvelope<Result: Decodable>: Decodable {
    var ok: Bool
    var result: Result?
    var error: String?
}

/// A message as a paho client received it.
struct PahoMessage: Decodable, Equatable, CustomStringConvertible {
    var topic: String
    /// The payload as UTF-8 (invalid bytes replaced).
    var payload: String
    /// The payload bytes in hex.
    var hex: String
    var qos: Int
    var retain: Bool
    var dup: Bool
    var properties: PahoProperties

    var description: String { "\(topic) q\(qos) r\(retain ? 1 : 0) \"\(payload.prefix(40))\" \(properties)" }
}

/// The 5.0 properties paho reported (names are paho's, first letter lower-cased).
struct PahoProperties: Decodable, Equatable, CustomStringConvertible {
    var payloadFormatIndicator: Int?
    var messageExpiryInterval: Int?
    var contentType: String?
    var responseTopic: String?
    /// Hex.
    var correlationData: String?
    var subscriptionIdentifier: [Int]?
    var topicAlias: Int?
    /// `[key, value]` pairs in wire order.
    var userProperty: [[String]]?
    var assignedClientIdentifier: String?
    var serverKeepAlive: Int?
    var sessionExpiryInterval: Int?
    var receiveMaximum: Int?
    var maximumPacketSize: Int?
    var topicAliasMaximum: Int?
    var maximumQoS: Int?
    var retainAvailable: Int?
    var reasonString: String?

    var description: String {
        let mirror = Mirror(reflecting: self)
        let set = mirror.children.compactMap { child -> String? in
            guard let label = child.label else { return nil }
            let text = String(describing: child.value)
            return text == "nil" ? nil : "\(label)=\(text.replacingOccurrences(of: "Optional(", with: "").dropLast())"
        }
        return "{" + set.joined(separator: ", ") + "}"
    }
}

/// CONNACK as paho saw it.
struct PahoConnack: Decodable, Equatable {
    /// paho's reason code value (for 3.1.1, paho maps the return code to a 5.0-style reason code).
    var rc: Int
    var sessionPresent: Bool
    var properties: PahoProperties
}

/// Whether python3 with paho-mqtt 2.x is available; checked once per test run.
///
/// `@unchecked Sendable` is safe: the only stored `var`, `cached`, is read and written exclusively between
/// `lock.lock()` and `lock.unlock()` in `python()`; `probe()` is called only from there.
final class PahoAvailability: @unchecked Sendable {
    static let shared = PahoAvailability()
    private let lock = NSLock()
    private var cached: Result<URL, PahoUnavailable>?

    struct PahoUnavailable: Error { var message: String }

    func python() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if cached == nil { cached = probe() }
        switch cached! {
        case .success(let url): return url
        case .failure(let failure): throw XCTSkip(failure.message)
        }
    }

    private func probe() -> Result<URL, PahoUnavailable> {
        guard let python = InteropTools.find("python3") else {
            return .failure(PahoUnavailable(message: "broker interop test needs python3 with paho-mqtt 2.x (python3 not on PATH; pip install 'paho-mqtt>=2,<3')"))
        }
        guard let directory = try? InteropTools.makeTemporaryDirectory(prefix: "mqttlab-paho-probe") else {
            return .failure(PahoUnavailable(message: "cannot create a temp folder to probe python3"))
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try? InteropProcess.run(
            python, ["-c", "import paho.mqtt.client as m; m.CallbackAPIVersion.VERSION2; import paho.mqtt; print(paho.mqtt.__version__)"],
            label: "probe", directory: directory, timeout: 20
        )
        guard let outcome, outcome.status == 0, !outcome.timedOut else {
            return .failure(PahoUnavailable(message: "broker interop test needs paho-mqtt 2.x for python3 (pip install 'paho-mqtt>=2,<3'): \(outcome?.stderr.suffix(300) ?? "probe failed")"))
        }
        return .success(python)
    }
}

extension PahoRunner {
    /// The Python library every scenario runs with.
    static let prelude = #"""
import json, os, socket, struct, sys, threading, time, traceback
import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

ARGS = json.loads(sys.argv[1])
HOST = "127.0.0.1"
PORT = int(ARGS["port"])
VERSION = int(ARGS.get("version", 4))
V5 = VERSION == 5
TIMEOUT = float(ARGS.get("timeout", 5))
CLIENTS = []

def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)

PROPERTY_NAMES = ["PayloadFormatIndicator", "MessageExpiryInterval", "ContentType", "ResponseTopic", "CorrelationData",
                  "SubscriptionIdentifier", "TopicAlias", "UserProperty", "AssignedClientIdentifier", "ServerKeepAlive",
                  "SessionExpiryInterval", "ReceiveMaximum", "MaximumPacketSize", "TopicAliasMaximum", "MaximumQoS",
                  "RetainAvailable", "ReasonString"]

def props(packet_type, **values):
    """Properties for PacketTypes.PUBLISH / CONNECT / SUBSCRIBE / DISCONNECT / WILLMESSAGE."""
    p = Properties(packet_type)
    for name, value in values.items():
        setattr(p, name, value)
    return p

def props_dict(p):
    out = {}
    if p is None:
        return out
    for name in PROPERTY_NAMES:
        if hasattr(p, name):
            value = getattr(p, name)
            if isinstance(value, (bytes, bytearray)):
                value = bytes(value).hex()
            elif name == "UserProperty":
                value = [[k, v] for (k, v) in value]
            elif name == "SubscriptionIdentifier":
                value = list(value) if isinstance(value, list) else [value]
            out[name[0].lower() + name[1:]] = value
    return out

def message_dict(msg):
    return {"topic": msg.topic, "payload": msg.payload.decode("utf-8", "replace"), "hex": msg.payload.hex(),
            "qos": msg.qos, "retain": bool(msg.retain), "dup": bool(msg.dup),
            "properties": props_dict(getattr(msg, "properties", None))}

def sub_options(qos=0, no_local=False, retain_as_published=False, retain_handling=0):
    return SubscribeOptions(qos=qos, noLocal=no_local, retainAsPublished=retain_as_published, retainHandling=retain_handling)

class LabClient:
    """A paho client on its own loop thread. `messages` holds what it received (dicts, see message_dict)."""

    def __init__(self, client_id, clean=True, keepalive=60, will=None, properties=None, version=None, connect=True):
        self.version = version or VERSION
        self.v5 = self.version == 5
        self.client_id = client_id
        self.cond = threading.Condition()
        self.messages = []
        self.subacks = {}
        self.unsubacks = {}
        self.connack = None
        self.disconnect_info = None
        self.loop_ended = False
        self.dropped = False
        self.thread = None
        kwargs = dict(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                      protocol=mqtt.MQTTv5 if self.v5 else mqtt.MQTTv311)
        if not self.v5:
            kwargs["clean_session"] = clean
        self.c = mqtt.Client(**kwargs)
        self.c.on_connect = self._on_connect
        self.c.on_message = self._on_message
        self.c.on_subscribe = self._on_subscribe
        self.c.on_unsubscribe = self._on_unsubscribe
        self.c.on_disconnect = self._on_disconnect
        if will is not None:
            self.c.will_set(will["topic"], will.get("payload"), will.get("qos", 0), will.get("retain", False),
                            will.get("properties"))
        self.clean = clean
        self.keepalive = keepalive
        self.properties = properties
        CLIENTS.append(self)
        if connect:
            self.connect()

    # callbacks (loop thread)
    def _on_connect(self, client, userdata, flags, reason_code, properties):
        with self.cond:
            self.connack = {"rc": reason_code.value, "sessionPresent": bool(flags.session_present),
                            "properties": props_dict(properties)}
            self.cond.notify_all()

    def _on_message(self, client, userdata, msg):
        with self.cond:
            self.messages.append(message_dict(msg))
            self.cond.notify_all()

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        with self.cond:
            self.subacks[mid] = [rc.value for rc in reason_codes]
            self.cond.notify_all()

    def _on_unsubscribe(self, client, userdata, mid, reason_codes, properties):
        with self.cond:
            self.unsubacks[mid] = [rc.value for rc in reason_codes] if reason_codes else []
            self.cond.notify_all()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        with self.cond:
            self.disconnect_info = {"rc": reason_code.value if reason_code is not None else None,
                                    "properties": props_dict(properties)}
            self.cond.notify_all()

    def _loop(self):
        while not self.dropped:
            rc = self.c.loop(timeout=0.02)
            if rc != mqtt.MQTT_ERR_SUCCESS:
                break
        with self.cond:
            self.loop_ended = True
            self.cond.notify_all()

    def wait(self, predicate, what, timeout=None):
        deadline = time.monotonic() + (timeout or TIMEOUT)
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{self.client_id}: no {what} within {timeout or TIMEOUT} s")
                self.cond.wait(min(remaining, 0.05))

    def connect(self, wait=True):
        if self.v5:
            self.c.connect(HOST, PORT, self.keepalive, clean_start=self.clean, properties=self.properties)
        else:
            self.c.connect(HOST, PORT, self.keepalive)
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        if wait:
            self.wait(lambda: self.connack or (self.loop_ended and {"closed": True}), "CONNACK")
            if self.connack is None:
                raise RuntimeError(f"{self.client_id}: connection closed before CONNACK")
        return self.connack

    def subscribe(self, topic, qos=0, options=None, properties=None):
        """topic: a filter, or a list of (filter, qos-or-SubscribeOptions). Returns the SUBACK codes."""
        def option(value):
            # paho 2.x wants SubscribeOptions (not a bare QoS) for every 5.0 filter
            return SubscribeOptions(qos=value) if (self.v5 and isinstance(value, int)) else value
        if isinstance(topic, list):
            arg = [(f, option(o)) for (f, o) in topic]
        else:
            arg = (topic, option(options if options is not None else qos))
        if properties is not None:
            rc, mid = self.c.subscribe(arg, properties=properties)
        else:
            rc, mid = self.c.subscribe(arg)
        if rc != mqtt.MQTT_ERR_SUCCESS:
            raise RuntimeError(f"{self.client_id}: subscribe failed locally: {rc}")
        return self.wait(lambda: self.subacks.get(mid), f"SUBACK for {arg}")

    def unsubscribe(self, topic):
        rc, mid = self.c.unsubscribe(topic)
        self.wait(lambda: mid in self.unsubacks, f"UNSUBACK for {topic}")
        return self.unsubacks[mid]

    def publish(self, topic, payload=None, qos=0, retain=False, properties=None, wait=True):
        info = self.c.publish(topic, payload, qos, retain, properties)
        if wait:
            info.wait_for_publish(TIMEOUT)
            if not info.is_published():
                raise TimeoutError(f"{self.client_id}: publish to {topic} (QoS {qos}) not acknowledged")
        return info

    def wait_messages(self, count, timeout=None):
        """Waits until at least `count` messages arrived; returns them all. Raises on timeout."""
        self.wait(lambda: len(self.messages) >= count, f"{count} messages (have {len(self.messages)})", timeout)
        return self.received()

    def received(self):
        with self.cond:
            return list(self.messages)

    def collect(self, seconds):
        """Whatever arrives within `seconds` (used to prove that nothing, or nothing more, arrives)."""
        time.sleep(seconds)
        return self.received()

    def wait_closed(self, timeout=None):
        """Waits until the broker closed the connection; returns the disconnect info (5.0: server's reason)."""
        self.wait(lambda: self.loop_ended, "close", timeout)
        return self.disconnect_info or {"rc": None, "properties": {}}

    def disconnect(self, reason=None, properties=None):
        """A normal DISCONNECT (5.0: with reason code `reason`), then waits until the socket is closed."""
        if self.loop_ended or self.dropped:
            return
        rc = ReasonCode(PacketTypes.DISCONNECT, identifier=reason) if (self.v5 and reason is not None) else None
        self.c.disconnect(reasoncode=rc, properties=properties)
        self.wait(lambda: self.loop_ended, "end of connection after DISCONNECT")

    def drop(self):
        """Ends the TCP connection without DISCONNECT (the broker must treat it as a network failure)."""
        self.dropped = True
        if self.thread is not None:
            self.thread.join(2)
        sock = self.c.socket()
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

def close_all():
    for client in CLIENTS:
        try:
            if not client.dropped and not client.loop_ended and client.connack is not None:
                client.c.disconnect()
                client.wait(lambda: client.loop_ended, "close", 1)
        except Exception:
            pass
        client.dropped = True

# Raw sockets for what paho will not do.
def varint(n):
    out = bytearray()
    while True:
        byte = n % 128
        n //= 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)

def mqtt_string(text):
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return struct.pack("!H", len(data)) + data

def packet(first, body):
    return bytes([first]) + varint(len(body)) + body

def raw_connect(client_id, version=None, clean=True, keepalive=60):
    """A plain socket that has sent CONNECT and read the 4+ byte CONNACK (returned as bytes)."""
    v = version or VERSION
    s = socket.create_connection((HOST, PORT), timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    body = mqtt_string("MQTT") + bytes([v, 0x02 if clean else 0x00]) + struct.pack("!H", keepalive)
    if v == 5:
        body += b"\x00"
    body += mqtt_string(client_id)
    s.sendall(packet(0x10, body))
    head = recv_exact(s, 2)
    rest = recv_exact(s, head[1])
    return s, head + rest

def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed by broker")
        data += chunk
    return data

def raw_publish(topic, payload, qos=0, mid=0, version=None, retain=False):
    v = version or VERSION
    body = mqtt_string(topic)
    if qos:
        body += struct.pack("!H", mid)
    if v == 5:
        body += b"\x00"
    body += payload if isinstance(payload, bytes) else payload.encode()
    return packet(0x30 | (qos << 1) | (1 if retain else 0), body)

def run(scenario):
    code = 0
    try:
        out = {"ok": True, "result": scenario()}
    except BaseException:
        out = {"ok": False, "error": traceback.format_exc()}
        code = 3
    try:
        close_all()
    except BaseException:
        pass
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    os._exit(code)
"""#
}
