import CMQTTLabCrypto
import MQTTLabSecurity
import XCTest

final class OpenSSLErrorTests: XCTestCase {
    func testLinkedAgainstTheSystemOpenSSL3() {
        XCTAssertTrue(SystemOpenSSL.version.hasPrefix("OpenSSL 3"), SystemOpenSSL.version)
    }

    /// A failing call leaves its reason in OpenSSL's error queue; the error takes it and empties the queue.
    func testAFailedCallReportsOpenSSLsReasonAndDrainsTheQueue() throws {
        let garbage = Array("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".utf8)
        let bio = try XCTUnwrap(garbage.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) })
        defer { BIO_free(bio) }
        XCTAssertNil(PEM_read_bio_X509(bio, nil, nil, nil))
        let error = OpenSSLError.fromQueue("reading a certificate")
        XCTAssertTrue(error.description.hasPrefix("reading a certificate failed: error:"), error.description)
        XCTAssertEqual(ERR_peek_error(), 0, "the queue is empty afterwards")
        XCTAssertEqual(OpenSSLError.fromQueue("nothing").reason, "no reason given by OpenSSL")
    }
}
