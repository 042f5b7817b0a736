import GRDB

// Raw SQL for the store's own tests (`@testable import`): damaging rows, faking a newer schema, reading
// pragmas. Internal, so nothing outside this module and its tests can reach around the store's rules.
extension BrokerStore {
    func executeForTesting(_ sql: String) throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    func textForTesting(_ sql: String) throws -> String? {
        try pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: sql) }
    }
}
