import Foundation
import Testing

@testable import VigilDetect

/// An image's compressed pixel data is not read for text; its metadata and what follows
/// its end are, and a file that only starts like an image is read from where its
/// structure breaks off.
@Suite struct ImageDataTests {
  private let note = Array("Comment\u{0}deploy key AKIA".utf8) + Array("QX7ZKM2PLW4RN8TB".utf8)

  private func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let length = UInt32(data.count)
    return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + Array(type.utf8) + data + [
      0, 0, 0, 0,
    ]
  }

  /// Pixel data that reads as text (as a stored deflate block may), after a zlib header.
  private let pixels = [0x78, 0x9C] + Array(String(repeating: "pixels as text ", count: 40).utf8)

  @Test func aPNGsTextChunksAndTrailerAreReadNotItsPixels() {
    let png =
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", [UInt8](repeating: 1, count: 13))
      + chunk("tEXt", note) + chunk("IDAT", pixels) + chunk("IDAT", pixels) + chunk("IEND", [])
      + Array("appended notes: plain text after the end".utf8)
    let text = png.withUnsafeBufferPointer { String(decoding: BinaryText($0).text, as: UTF8.self) }
    #expect(text.contains("deploy key AKIA"))
    #expect(text.contains("appended notes"))
    #expect(!text.contains("pixels as text"))
    let skipped = png.withUnsafeBufferPointer { ImageData.compressedRanges(in: $0) }
    #expect(skipped.count == 2 && skipped.allSatisfy { $0.count == pixels.count })
  }

  @Test func aJPEGsSegmentsAreReadNotItsScans() {
    func segment(_ marker: UInt8, _ data: [UInt8]) -> [UInt8] {
      [0xFF, marker, UInt8((data.count + 2) >> 8), UInt8((data.count + 2) & 0xFF)] + data
    }
    // Scan data with a stuffed FF 00 and a restart marker inside; two scans (progressive).
    let scan = pixels + [0xFF, 0x00] + pixels + [0xFF, 0xD3] + pixels
    let jpeg =
      [0xFF, 0xD8] + segment(0xE1, Array("Exif\u{0}\u{0}".utf8) + note) + segment(0xDA, [1, 2, 3]) + scan
      + segment(0xC4, [0, 0]) + segment(0xDA, [1, 2, 3]) + scan + [0xFF, 0xD9]
      + Array("appended notes: plain text after the end".utf8)
    let text = jpeg.withUnsafeBufferPointer { String(decoding: BinaryText($0).text, as: UTF8.self) }
    #expect(text.contains("deploy key AKIA"))
    #expect(text.contains("appended notes"))
    #expect(!text.contains("pixels as text"))
  }

  /// A scan with no marker after it (an image cut short, text appended): read from there.
  @Test func aJPEGCutShortIsReadFromItsScan() {
    let jpeg: [UInt8] =
      [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x05, 1, 2, 3] + pixels + [0xFF, 0x00]
      + Array("\nAWS_KEY=appended notes after a cut image\n".utf8)
    let text = jpeg.withUnsafeBufferPointer { String(decoding: BinaryText($0).text, as: UTF8.self) }
    #expect(text.contains("appended notes"))
  }

  /// A length past the end, or no image at all: read whole.
  @Test func aBrokenImageIsReadFromWhereItBreaksOff() {
    let broken =
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IDAT", pixels) + [0, 0, 0x7F, 0xFF]
      + Array("IDAT".utf8) + pixels
    let text = broken.withUnsafeBufferPointer { String(decoding: BinaryText($0).text, as: UTF8.self) }
    #expect(text.contains("pixels as text"))
    let plain = [0x00] + pixels
    // A chunk named IDAT that starts no zlib stream: read.
    let named = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IDAT", Array(pixels.dropFirst(2)))
    #expect(
      named.withUnsafeBufferPointer { String(decoding: BinaryText($0).text, as: UTF8.self) }.contains(
        "pixels"))
    #expect(plain.withUnsafeBufferPointer { ImageData.compressedRanges(in: $0) }.isEmpty)
  }
}
