/// A code fence line: three or more backticks or tildes, indented at most three spaces.
struct Fence: Equatable {
    var character: Character
    var length: Int
    var indentation: Int
    /// What follows the fence on the opening line ("run background sub"), trimmed.
    var info: String

    /// The fence that `line` opens, if it opens one.
    static func opening(_ line: SourceLine) -> Fence? {
        let indentation = line.indentation
        guard indentation <= 3 else { return nil }
        let rest = line.dedented(by: indentation).text
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let length = rest.prefix(while: { $0 == first }).count
        guard length >= 3 else { return nil }
        let info = String(rest.dropFirst(length)).trimmingSpaces()
        // CommonMark: a backtick fence's info string cannot contain a backtick (that is inline code).
        if first == "`", info.contains("`") { return nil }
        return Fence(character: first, length: length, indentation: indentation, info: info)
    }

    /// True when `line` closes this fence.
    func isClosed(by line: SourceLine) -> Bool {
        guard line.indentation <= 3 else { return false }
        let rest = line.trimmed
        return rest.count >= length && rest.allSatisfy { $0 == character }
    }
}
