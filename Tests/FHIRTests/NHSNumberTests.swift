import Testing
import FHIR

@Suite("NHS numbers")
struct NHSNumberTests {
    @Test(arguments: ["9434765919", "9000000009", "9912003888", "9999999468"])
    func valid(_ number: String) {
        #expect(NHSNumber.isValid(number))
        #expect(NHSNumber(number)?.value == number)
    }

    @Test(arguments: [
        "9434765918",   // wrong check digit
        "9000000008",   // wrong check digit
        "0000000000",   // passes the sum, but one repeated digit
        "1111111111",
        "943476591",    // nine digits
        "94347659190",  // eleven digits
        "943476591A",   // letters
        "ABCDEFGHIJ",
        "943 476 5919", // spaces are not accepted
        "",
        "１２３４５６７８９０", // non-ASCII digits
    ])
    func invalid(_ number: String) {
        #expect(!NHSNumber.isValid(number))
        #expect(NHSNumber(number) == nil)
    }

    @Test func checkDigitTenIsInvalid() {
        // 123456781x: 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+1*2 = 194, 194 % 11 = 7, check = 4.
        #expect(NHSNumber.isValid("1234567814"))
        // 000000010x: 1*3 = 3 -> check 8; 000000100x: 1*4 -> 7; find a number whose check is 10:
        // remainder 1 gives check 10: 0000000010 has sum 1*2 = 2... use 100000001x: 10 + 2 = 12 -> 12 % 11 = 1.
        for last in 0...9 { #expect(!NHSNumber.isValid("100000001\(last)")) }
    }

    @Test func system() {
        #expect(NHSNumber.system == "https://fhir.nhs.uk/Id/nhs-number")
    }
}
