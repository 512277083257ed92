/// One page of a search's answer, as the HTTP layer turns it into a searchset Bundle.
public struct SearchPage: Sendable {
    /// The matches, in the search's order.
    public let matches: [StoredVersion]
    /// Resources added by `_include`, `_revinclude` (or, for `$everything`, the resources
    /// the patient's record refers to), each once, none of them a match of this page.
    public let included: [StoredVersion]
    /// How many resources match in all; nil when not counted (`_total=none`, or an estimate
    /// that would cost more than the page).
    public let total: Int?
    /// The position to ask for the next page from; nil on the last page.
    public let next: String?
}

extension SearchPage {
    /// The same page with other included resources (access control drops those the reader
    /// may not see).
    public func replacing(included: [StoredVersion]) -> SearchPage {
        SearchPage(matches: matches, included: included, total: total, next: next)
    }
}
