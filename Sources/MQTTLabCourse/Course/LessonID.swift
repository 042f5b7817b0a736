/// A lesson's stable id: its folder name, `NN-slug` ("04-wildcards").
public struct LessonID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var number: Int
    public var slug: String

    /// Parses a folder name: two or three digits, a dash, then lowercase words joined by dashes.
    public init?(folderName: String) {
        let digits = folderName.prefix(while: { $0.isASCII && $0.isNumber })
        guard (2...3).contains(digits.count), let number = Int(digits) else { return nil }
        let rest = folderName.dropFirst(digits.count)
        guard rest.first == "-" else { return nil }
        let slug = String(rest.dropFirst())
        let words = slug.split(separator: "-", omittingEmptySubsequences: false)
        guard !slug.isEmpty, words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }) else {
            return nil
        }
        self.number = number
        self.slug = slug
        self.folderName = folderName
    }

    /// The folder name exactly as it is on disk ("04-wildcards").
    public let folderName: String

    public var description: String { folderName }

    public static func < (left: LessonID, right: LessonID) -> Bool {
        (left.number, left.folderName) < (right.number, right.folderName)
    }

    /// True when `reference` names this lesson: its number ("4", "04"), its folder name or its slug.
    public func matches(_ reference: String) -> Bool {
        if let number = Int(reference), reference.allSatisfy(\.isNumber) { return number == self.number }
        return reference == folderName || reference == slug
    }
}
