#if canImport(Glibc)
  import Glibc
#endif

/// The compressed pixel data of a PNG or JPEG image: where a binary file's text runs are
/// not looked for. Those bytes are deflate or Huffman output, text only by chance (the
/// corpus's 460 MB of PNG and JPEG cost more to read for text than all its source
/// code's secrets rules); what an image holds as text, its metadata (PNG's `tEXt`,
/// `iTXt`, `zTXt` and `eXIf` chunks, JPEG's EXIF, XMP and comment segments) and anything
/// after its end (a file appended to it), is read as before. A file that is not such an
/// image, or whose structure breaks off, is read whole from where it does.
enum ImageData {
  /// The ranges of `bytes` that are compressed pixel data, ascending; none when `bytes`
  /// are no PNG or JPEG.
  static func compressedRanges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    if bytes.starts(with: pngSignature) { return png(bytes) }
    if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return jpeg(bytes) }
    return []
  }

  private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// PNG: chunks of a 4-byte length, a 4-byte type, the data and a CRC; the `IDAT`
  /// chunks' data is the compressed image. Up to `IEND`.
  private static func png(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var offset = pngSignature.count
    while offset + 12 <= bytes.count {
      let length = (0..<4).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
      let type = Array(bytes[(offset + 4)..<(offset + 8)])
      let data = offset + 8
      guard length <= bytes.count - data - 4 else { break }
      if type == Array("IDAT".utf8) {
        // The image data is one zlib stream: if the first chunk does not start one
        // (a chunk named IDAT holding text), none is skipped.
        if ranges.isEmpty && !(length >= 2 && isZlibHeader(bytes[data], bytes[data + 1])) { return [] }
        ranges.append(data..<(data + length))
      }
      offset = data + length + 4
      if type == Array("IEND".utf8) { break }
    }
    return ranges
  }

  /// A zlib header (RFC 1950): deflate, a window of at most 32 KiB, and its check bits.
  private static func isZlibHeader(_ method: UInt8, _ flags: UInt8) -> Bool {
    method & 0x0F == 8 && method >> 4 <= 7 && (Int(method) << 8 | Int(flags)) % 31 == 0
  }

  /// JPEG: marker segments (`FF` and a code, then a 2-byte length), up to a start of
  /// scan (`FF DA`), whose header is followed by entropy-coded data up to the next marker
  /// (an `FF` not followed by a stuffed `00` or a restart code `D0`-`D7`); a progressive
  /// image has several scans. Up to the end of image (`FF D9`).
  private static func jpeg(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var offset = 2
    while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
      let marker = bytes[offset + 1]
      if marker == 0xD9 { break }
      // Markers without a length: fill bytes, restart codes, TEM.
      if marker == 0xFF || (0xD0...0xD7).contains(marker) || marker == 0x01 {
        offset += marker == 0xFF ? 1 : 2
        continue
      }
      let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
      guard length >= 2, length <= bytes.count - offset - 2 else { break }
      offset += 2 + length
      guard marker == 0xDA else { continue }
      // The entropy-coded data after the scan's header.
      // No marker after it (an image cut short, text appended to it): not skipped, read
      // from there (UTF-8 holds no FF byte to end the scan).
      var end: Int?
      var at = offset
      while let base = bytes.baseAddress, at < bytes.count,
        let found = memchr(base + at, 0xFF, bytes.count - at)
      {
        let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        guard index + 1 < bytes.count else { break }
        let next = bytes[index + 1]
        if next == 0x00 || (0xD0...0xD7).contains(next) {
          at = index + 2
        } else {
          end = index
          break
        }
      }
      guard let end else { break }
      if end > offset { ranges.append(offset..<end) }
      offset = end
    }
    return ranges
  }
}
