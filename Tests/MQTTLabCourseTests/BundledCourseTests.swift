import Foundation
import MQTTLabCourseBundle
import XCTest

/// The course built into the binary is exactly the package's Lessons/ folder, byte for byte.
final class BundledCourseTests: XCTestCase {
    func testBundledFilesEqualTheLessonsFolder() throws {
        let root = URL(fileURLWithPath: CourseFixtures.lessonsFolder).standardizedFileURL
        var onDisk: [String: [UInt8]] = [:]
        let walker = try XCTUnwrap(FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]))
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            onDisk[relative] = Array(try Data(contentsOf: url))
        }
        XCTAssertFalse(onDisk.isEmpty, "Lessons/ should hold at least its README")
        let bundled = Dictionary(uniqueKeysWithValues: BundledCourse.files.map { ($0.path, $0.bytes) })
        XCTAssertEqual(bundled.keys.sorted(), onDisk.keys.sorted(), "the same files (SwiftPM re-embeds Lessons/ when it re-plans the build: touch Package.swift and build again)")
        for (path, bytes) in onDisk {
            XCTAssertEqual(bundled[path], bytes, "\(path) differs from its bundled copy (touch Package.swift and build again)")
        }
        XCTAssertEqual(BundledCourse.files.map(\.path), BundledCourse.files.map(\.path).sorted())
    }
}

/// The exercises inside the binary are the package's Exercises/ folder, byte for byte.
final class BundledExercisesTests: XCTestCase {
    func testTheBundleHoldsTheExercisesFolder() throws {
        let folder = CourseFixtures.exercisesFolder
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(folder)/\(path)", isDirectory: &isDirectory) && !isDirectory.boolValue
                && !path.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted()
        XCTAssertEqual(BundledExercises.files.map(\.path), onDisk,
                       "the bundle is stale: touch Package.swift and build again (the prebuild step re-embeds Exercises/)")
        for file in BundledExercises.files {
            XCTAssertEqual(Data(file.bytes), FileManager.default.contents(atPath: "\(folder)/\(file.path)"), file.path)
        }
    }
}
