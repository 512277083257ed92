import Access
import Hummingbird
import NIOCore

/// A request's context: Hummingbird's, who is asking, once `AuthenticationMiddleware` has
/// checked their token (nil only on the routes open to all: metadata, health), and the
/// client's address, for the audit log.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
        remoteAddress = source.channel.remoteAddress
    }
}
