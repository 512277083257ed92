/// What every person's story needs to know about the area: the parameters, the period and
/// the providers people are placed with.
struct AreaContext: Sendable {
    let parameters: AreaParameters
    let start: Day
    /// The day after the period's last.
    let end: Day
    let providers: Organisations.Providers

    static let council = "council"
    static let icb = "icb"
    static let acuteTrust = "acute-trust"
    static let communityTrust = "community-trust"
}
