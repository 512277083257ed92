import ArgumentParser
import Storage

/// `--database` as a `StoreLocation`, or a usage error that says what is wrong with it.
func storeLocation(_ text: String, option: String = "--database") throws -> StoreLocation {
    do {
        return try StoreLocation(text)
    } catch let error as StorageError {
        throw ValidationError("\(option): \(error.detail)")
    }
}
