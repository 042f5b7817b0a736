import Foundation

/// Where the student's state lives: `$MQTTLAB_HOME`, else `$XDG_DATA_HOME/mqttlab`, else
/// `~/.local/share/mqttlab`. Nothing is written to the current directory.
public enum StudentHome {
    public static func folder(environment: [String: String]) -> String {
        if let home = environment["MQTTLAB_HOME"], !home.isEmpty { return home }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return (data as NSString).appendingPathComponent("mqttlab") }
        let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (user as NSString).appendingPathComponent(".local/share/mqttlab")
    }

    /// The student database inside `folder`.
    public static func databasePath(in folder: String) -> String {
        (folder as NSString).appendingPathComponent("student.sqlite")
    }
}
