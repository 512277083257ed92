/// Walks a compiled search path through a resource's JSON: steps into members, arrays item
/// by item, keeps only the items a step's filter allows, and hands each value reached to
/// `visit`. `visit` returns false to stop the walk (the parameter's cap is reached).
///
/// Steps are passed as the array and an index (no slices) and members are found by scanning
/// the object in place, so a walk costs no allocation and few reference counts.
enum SearchPathWalker {
    /// Visits every value `steps[index...]` reach from `value`. Returns false when `visit`
    /// stopped it.
    @discardableResult
    static func walk(
        _ value: JSON, _ steps: [SearchPath.Step], from index: Int, _ visit: (JSON) -> Bool
    ) -> Bool {
        if index == steps.count {
            if case .array(let items) = value {
                for item in items where !visit(item) { return false }
                return true
            }
            return visit(value)
        }
        switch value {
        case .object(let object):
            return walkMember(of: object, steps, from: index, visit)
        case .array(let items):
            for item in items where !walk(item, steps, from: index, visit) { return false }
            return true
        default:
            return true
        }
    }

    private static func walkMember(
        of object: JSONObject, _ steps: [SearchPath.Step], from index: Int, _ visit: (JSON) -> Bool
    ) -> Bool {
        let step = steps[index]
        let members = object.members
        var position = 0
        while position < members.count, members[position].key != step.member { position += 1 }
        guard position < members.count else { return true }
        return walk(into: members[position].value, steps, at: index, visit)
    }

    /// Continues a walk with `member`, the value of the member `steps[index]` names: its
    /// items one by one when it is an array, each kept only if the step's filter allows.
    static func walk(
        into member: JSON, _ steps: [SearchPath.Step], at index: Int, _ visit: (JSON) -> Bool
    ) -> Bool {
        let filter = steps[index].filter
        let next = index + 1
        if case .array(let items) = member {
            for item in items where passes(item, filter) {
                if !walk(item, steps, from: next, visit) { return false }
            }
            return true
        }
        guard passes(member, filter) else { return true }
        return walk(member, steps, from: next, visit)
    }

    /// Whether `item` is kept by `filter`: its member `filter.member` is the string
    /// `filter.value`.
    @inline(__always)
    static func passes(_ item: JSON, _ filter: SearchPath.Filter?) -> Bool {
        guard let filter else { return true }
        guard case .object(let object) = item, case .string(let text)? = object[filter.member] else {
            return false
        }
        return text == filter.value
    }
}
