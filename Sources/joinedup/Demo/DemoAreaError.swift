/// Why `--demo` will not load into a store.
enum DemoAreaError: Error, CustomStringConvertible {
    case notADemoStore(path: String)
    case differentArea(path: String, holds: DemoAreaMarker.Entry, asked: DemoAreaMarker.Entry)

    var description: String {
        switch self {
        case .notADemoStore(let path):
            "\(path) already holds resources that are not a demo area; --demo loads only into a new file "
                + "or one it made (the default is joinedup-demo.sqlite)"
        case .differentArea(let path, let holds, let asked):
            "\(path) holds a different demo area (\(holds.summary)) from the one asked for (\(asked.summary)); "
                + "delete the file or choose another with --database"
        }
    }
}
