import ArgumentParser
import Foundation

extension MQTTLab {
    /// Runs the command line and exits with the documented status: 0 success, 1 malformed packet or
    /// failed check, 64 usage error, 66 input that cannot be read.
    public static func runAndExit(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let error as InputError {
            FileHandle.standardError.write(Data("mqttlab: \(error.message)\n".utf8))
            Foundation.exit(66)
        } catch {
            exit(withError: error)
        }
    }
}
