/// `--help` for `mqttlab pub|sub|rr`: the flags of Mosquitto's clients, grouped, with what each does.
enum ClientUsage {
    static let connection = """
        Connection (as mosquitto_pub/sub):
          -h HOST            broker host (default localhost)      -p PORT   port (default 1883, 8883 with TLS)
          -V 5|311|31        protocol: mqttv5, mqttv311 (default; rr: 5), mqttv31
          -i ID / -I PREFIX  client id / prefix + process id (default: the broker assigns one)
          -k SECONDS         keep alive, 5..65535 (default 60); a broker silent for that long is dead
          -c                 persistent session (clean session 0); needs -i. 5.0: kept forever unless -x
          -x SECONDS         5.0 session expiry interval (-1: never expires)
          -u USER -P PASS    username and password (sent in clear text unless TLS)
          -L URL             mqtt(s)://[user[:pass]@]host[:port]/topic
          -D CMD NAME VALUE  a 5.0 property: CMD is connect, publish, subscribe, unsubscribe, disconnect or will;
                             e.g. -D publish user-property sala 3, -D connect session-expiry-interval 60
          --will-topic T --will-payload P --will-qos Q --will-retain   the last will
          --cafile F | --capath D   enable TLS, trusting these CAs; --cert F --key F a client certificate;
          --insecure         do not check the broker certificate's host name
        Diagnostics:
          -d                 Mosquitto's debug lines (Client x sending PUBLISH …)
          --trace summary|fields|hex   every packet sent and received, decoded and explained (mqttlab)
          --lang es|en  --color auto|always|never  --quiet (no error messages)
        Exit status: 0 ok; 1 usage error or no connection; the CONNACK code when the broker refuses
        (e.g. 5 not authorised in 3.1.1, 135 in 5.0); 7 connection lost; 8 TLS error; 19 keep alive
        timeout; 27 -W timed out. See Docs/CLIENT.md.
        """

    static func text(_ tool: ClientTool) -> String {
        switch tool {
        case .pub:
            return """
                mqttlab pub: publish messages, like mosquitto_pub (the same flags, output and exit status).

                  mqttlab pub -t casa/luz -m ON -q 1 -r
                  mqttlab pub -t sensores/t -l < lecturas.txt       one message per line of input
                  mqttlab pub -t casa/luz -m ON --trace summary     see each packet explained

                Message: -t TOPIC and one of -m TEXT | -f FILE | -l (each stdin line) | -s (all stdin) | -n (empty)
                  -q 0|1|2  QoS   -r retain   --repeat N  --repeat-delay SECONDS   -M max in flight (default 20)

                """ + connection
        case .sub:
            return """
                mqttlab sub: subscribe and print messages, like mosquitto_sub (the same flags, output and exit status).

                  mqttlab sub -t 'casa/#' -v
                  mqttlab sub -t x -C 1 -W 5                        wait up to 5 s for one message
                  mqttlab sub -t 'casa/#' -F '%I %t %p'             your own format

                Subscribing: -t FILTER (repeat for more)  -q 0|1|2  -U FILTER unsubscribe  -T FILTER do not print
                Output: -v topic and payload  -N no newline  -F FORMAT  --pretty (%j/%J)
                  -F tokens: %t topic %p payload %x/%X hex %l length %m id %q QoS %r retain %I ISO time
                  %U Unix time %j/%J JSON; 5.0: %A alias %C content type %D correlation %E expiry
                  %F format indicator %P user properties %R response topic %S subscription id;
                  @X strftime (@Y-@m-@d), @N nanoseconds; width %10t, %-10t, %010l, %.5t; \\n \\t \\e …
                Ending: -C N after N messages  -W SECONDS timeout (exit 27)  -E after the SUBACK
                  -R skip retained  --retained-only stop at the first live message  --remove-retained clear them

                """ + connection
        case .rr:
            return """
                mqttlab rr: request/response (MQTT 5.0), like mosquitto_rr: subscribe to -e, publish the request
                with that Response Topic, print the first answer.

                  mqttlab rr -t servicio/hora -e respuestas/ana -m '¿qué hora es?' -W 5

                -t TOPIC -e RESPONSE-TOPIC and one of -m | -f | -s | -n;  -q QoS;  -W SECONDS;  -v  -N  -F FORMAT
                Correlation data: -D publish correlation-data VALUE

                """ + connection
        }
    }
}
