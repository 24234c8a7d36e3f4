import Foundation
import Testing
import APIModel

private func parse(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

private func parseError(_ text: String) -> JSONParsingError? {
    do {
        _ = try JSONValue(parsing: Data(text.utf8))
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONValueParsingTests {
    @Test func scalarsKeepTheirTypes() throws {
        #expect(try parse("1") == .int(1))
        #expect(try parse("-42") == .int(-42))
        #expect(try parse("0") == .int(0))
        #expect(try parse("1.0") == .double(1.0))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("-2.5E-3") == .double(-0.0025))
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("null") == .null)
        #expect(try parse("\"x\"") == .string("x"))
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .int(Int64.min))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808))
    }

    @Test func containersAndWhitespace() throws {
        let value = try parse(" { \"a\" : [ 1 , true , null , { } , [ ] ] ,\n\t\"b\":\"c\" } ")
        #expect(value == .object([
            "a": .array([.int(1), .bool(true), .null, .object([:]), .array([])]),
            "b": .string("c"),
        ]))
    }

    @Test func lastDuplicateKeyWins() throws {
        #expect(try parse(#"{"a":1,"a":2}"#) == .object(["a": .int(2)]))
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try parse(#""\u00e9\u4e2d""#) == .string("é中"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\ud83dx""#) == .string("\u{FFFD}x"))
        #expect(try parse("\"é😀\"") == .string("é😀"))
    }

    @Test func errorsUseGoWording() {
        #expect(parseError("")?.message == "unexpected end of JSON input")
        #expect(parseError("{")?.message == "unexpected end of JSON input")
        #expect(parseError("x")?.message == "invalid character 'x' looking for beginning of value")
        #expect(parseError("{1}")?.message == "invalid character '1' looking for beginning of object key string")
        #expect(parseError(#"{"a" 1}"#)?.message == "invalid character '1' after object key")
        #expect(parseError(#"{"a":1 "b"}"#)?.message == "invalid character '\"' after object key:value pair")
        #expect(parseError("[1 2]")?.message == "invalid character '2' after array element")
        #expect(parseError("1 2")?.message == "invalid character '2' after top-level value")
        #expect(parseError("\"a\nb\"")?.message == "invalid character '\\n' in string literal")
        #expect(parseError(#""\x""#)?.message == "invalid character 'x' in string escape code")
        #expect(parseError("01") != nil)
        #expect(parseError("1.") != nil)
        #expect(parseError("-") != nil)
        #expect(parseError("tru") != nil)
        #expect(parseError("[1,]") != nil)
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: JSONValue.maximumNestingDepth)
            + String(repeating: "]", count: JSONValue.maximumNestingDepth)
        #expect(throws: Never.self) { try parse(deep) }
        let tooDeep = "[" + deep + "]"
        #expect(parseError(tooDeep) != nil)
    }

    @Test func serialisationIsCompactAndSorted() throws {
        let value: JSONValue = .object([
            "b": .array([.int(1), .double(2.5), .bool(false), .null]),
            "a": .object(["z": .string("x"), "é": .int(0), "B": .int(1)]),
        ])
        #expect(value.serializedString() == #"{"a":{"B":1,"z":"x","é":0},"b":[1,2.5,false,null]}"#)
        #expect(String(decoding: value.serialized(), as: UTF8.self) == value.serializedString())
    }

    @Test func serialisationEscapes() {
        #expect(JSONValue.string("q\"b\\n\n\t\u{1}é").serializedString() == #""q\"b\\n\n\t\u0001é""#)
        #expect(JSONValue.double(.infinity).serializedString() == "null")
    }

    @Test func roundTrip() throws {
        let text = #"{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"web"},"name":"p"},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx","ports":[{"containerPort":80}]}],"ratio":0.5,"x":1.0}}"#
        let value = try parse(text)
        #expect(value.serializedString() == text)
        #expect(try JSONValue(parsing: value.serialized()) == value)
        #expect(try JSONValue(parsing: text) == value)
    }
}
