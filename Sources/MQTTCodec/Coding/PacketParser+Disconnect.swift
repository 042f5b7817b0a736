extension PacketParser {
    /// 3.1.1: no body. 5.0: an optional reason code (absent = Normal disconnection) and optional properties.
    mutating func parseDisconnect() throws(MalformedPacket) -> Disconnect {
        guard version.isV5, !reader.isAtEnd else { return Disconnect() }
        let code = try reasonCode(for: .disconnect)
        let properties = reader.isAtEnd ? [] : try parseProperties(in: .packet(.disconnect))
        return Disconnect(reasonCode: code, properties: properties)
    }

    /// AUTH (5.0). Remaining Length 0 means Success with no properties; otherwise the method is required.
    mutating func parseAuth() throws(MalformedPacket) -> Auth {
        guard !reader.isAtEnd else { return Auth() }
        let codeStart = reader.position
        let code = try reasonCode(for: .auth)
        let properties = reader.isAtEnd ? [] : try parseProperties(in: .packet(.auth))
        if !properties.contains(where: { $0.identifier == .authenticationMethod }) {
            throw fail(.authWithoutMethod, at: codeStart)
        }
        return Auth(reasonCode: code, properties: properties)
    }
}
