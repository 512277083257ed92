import FHIR
import Foundation
import Testing

@Suite("Random ids")
struct RandomIDTests {
    @Test func theyAreVersion4UUIDsAndValidFHIRIDs() {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = RandomID.uuid()
            #expect(UUID(uuidString: id) != nil, "\(id)")
            #expect(id == id.lowercased())
            let characters = Array(id)
            #expect(characters[14] == "4", "version 4")
            #expect("89ab".contains(characters[19]), "RFC 4122 variant")
            #expect(ResourceID.isValid(id))
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test func version7IdsSortByTimeAndCarryIt() {
        let earlier = RandomID.uuidV7(millisecondsSince1970: 1_764_547_200_000)
        let later = RandomID.uuidV7(millisecondsSince1970: 1_764_547_200_001)
        #expect(earlier < later)
        #expect(Array(earlier)[14] == "7")
        #expect("89ab".contains(Array(earlier)[19]))
        #expect(UUID(uuidString: earlier) != nil)
        // 1_764_547_200_000 ms is 0x019ad7358400.
        #expect(earlier.hasPrefix("019ad735-8400-7"))
        #expect(RandomID.uuidV7(millisecondsSince1970: 5) != RandomID.uuidV7(millisecondsSince1970: 5))
    }
}
