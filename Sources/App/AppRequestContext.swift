import Access
import Hummingbird

/// A request's context: Hummingbird's, and who is asking, once `AuthenticationMiddleware`
/// has checked their token (nil only on the routes open to all: metadata, health).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
    }
}
