#include "idx.h"

#include "core/atomicwrite.h"
#include "core/inputfile.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

// The bytes of a file as they were written: inflated on the fly when they are gzip, so only
// as much is decompressed as is asked for.
class Decoder {
public:
    explicit Decoder(std::string_view input) : m_input(input) {
        m_gzip = input.size() >= 2 && static_cast<unsigned char>(input[0]) == 0x1f &&
                 static_cast<unsigned char>(input[1]) == 0x8b;
        if (m_gzip) {
            m_ready = inflateInit2(&m_stream, 15 + 16) == Z_OK; // 16: a gzip wrapper
            m_stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
            m_stream.avail_in = 0;
        }
    }
    ~Decoder() {
        if (m_gzip && m_ready)
            inflateEnd(&m_stream);
    }
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    // Appends up to `count` bytes to `out`; fewer only at the end of the data. A chunk at a
    // time, so the memory used follows what the data holds, not what was asked for.
    Status read(std::size_t count, std::vector<unsigned char>& out) {
        constexpr std::size_t kChunk = std::size_t(256) << 10;
        while (count > 0 && !m_ended) {
            // Raw bytes: no more than are there; inflated ones: a chunk at a time.
            const std::size_t want =
                std::min({count, kChunk, m_gzip ? kChunk : m_input.size() - m_offset});
            const std::size_t start = out.size();
            out.resize(start + want);
            Result<std::size_t> got =
                m_gzip ? inflateInto(out.data() + start, want) : copyInto(out.data() + start, want);
            if (!got) {
                out.resize(start);
                return got.status();
            }
            out.resize(start + got.value());
            count -= got.value();
        }
        return Status::ok();
    }

private:
    Result<std::size_t> copyInto(unsigned char* out, std::size_t want) {
        const std::size_t n = std::min(want, m_input.size() - m_offset);
        if (n > 0) // memcpy may not see a null pointer, even for 0 bytes
            std::memcpy(out, m_input.data() + m_offset, n);
        m_offset += n;
        m_ended = m_offset == m_input.size();
        return n;
    }

    Result<std::size_t> inflateInto(unsigned char* out, std::size_t want) {
        if (!m_ready)
            return Status::error("cannot decompress: zlib could not start");
        m_stream.next_out = out;
        m_stream.avail_out = uInt(want);
        while (m_stream.avail_out > 0) {
            if (m_stream.avail_in == 0) {
                const std::size_t left = m_input.size() - m_offset;
                if (left == 0) { // a stream cut short: the caller sees fewer bytes
                    m_ended = true;
                    break;
                }
                m_stream.next_in =
                    reinterpret_cast<Bytef*>(const_cast<char*>(m_input.data() + m_offset));
                m_stream.avail_in = uInt(std::min<std::size_t>(left, 1u << 30));
                m_offset += m_stream.avail_in;
            }
            const int code = inflate(&m_stream, Z_NO_FLUSH);
            if (code == Z_STREAM_END) {
                // Another gzip member may follow (as gzip -c a b > ab writes); anything else
                // after the end is ignored, as gunzip does.
                const bool another = m_stream.avail_in >= 2 && m_stream.next_in[0] == 0x1f &&
                                     m_stream.next_in[1] == 0x8b;
                if (!another || inflateReset(&m_stream) != Z_OK) {
                    m_ended = true;
                    break;
                }
                continue;
            }
            // Z_BUF_ERROR means no progress, which with input and room left cannot happen;
            // treat it as damage rather than loop on it.
            if (code != Z_OK && !(code == Z_BUF_ERROR && m_stream.avail_in == 0))
                return Status::error(std::string("cannot decompress: ") +
                                     (m_stream.msg ? m_stream.msg : zError(code)));
        }
        return want - m_stream.avail_out;
    }

    std::string_view m_input;
    std::size_t m_offset = 0;
    bool m_gzip = false;
    bool m_ready = false;
    bool m_ended = false;
    z_stream m_stream{};
};

std::uint32_t bigEndian(const unsigned char* b) {
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) |
           std::uint32_t(b[3]);
}

std::string formatIdxDims(const std::vector<std::uint32_t>& dims) {
    std::string text;
    for (std::uint32_t d : dims)
        text += (text.empty() ? "" : "x") + std::to_string(d);
    return text;
}

} // namespace

Result<IdxArray> readIdxBytes(std::string_view bytes, int rank, const std::string& name) {
    Decoder decoder(bytes);
    auto fail = [&name](const Status& s) { return Status::error(name + ": " + s.message()); };
    const std::size_t headerSize = 4 + 4 * std::size_t(rank);
    std::vector<unsigned char> header;
    if (Status s = decoder.read(headerSize, header); !s)
        return fail(s);
    const std::uint32_t magic = 0x800u + std::uint32_t(rank); // 2051 images, 2049 labels
    if (header.size() >= 4 && bigEndian(header.data()) != magic)
        return Status::error(name + ": bad magic number " +
                             std::to_string(bigEndian(header.data())) + " (expected an IDX " +
                             (rank == 1 ? "label" : "image") + " file, " + std::to_string(magic) +
                             ")");
    if (header.size() < headerSize)
        return Status::error(name + ": truncated header: an IDX " +
                             (rank == 1 ? "label" : "image") + " file starts with " +
                             std::to_string(headerSize) + " bytes, this one has " +
                             std::to_string(header.size()));
    IdxArray array;
    std::uint64_t count = 1;
    for (int i = 0; i < rank; ++i) {
        array.dims.push_back(bigEndian(header.data() + 4 + 4 * i));
        count *= array.dims.back(); // at most 2^32 * 2^28 before the check below stops it
        if (count > kMaxIdxValues)
            return Status::error(name + ": its header announces " + formatIdxDims(array.dims) +
                                 (i + 1 < rank ? "x..." : "") + " values, more than the " +
                                 std::to_string(kMaxIdxValues) + " allowed");
    }
    if (Status s = decoder.read(count, array.values); !s)
        return fail(s);
    if (array.values.size() < count)
        return Status::error(name + ": truncated: its header announces " +
                             formatIdxDims(array.dims) + " = " + std::to_string(count) +
                             " bytes of data, the file has " + std::to_string(array.values.size()));
    std::vector<unsigned char> more;
    if (Status s = decoder.read(1, more); !s)
        return fail(s);
    if (!more.empty())
        return Status::error(name + ": more data than its header announces (" +
                             formatIdxDims(array.dims) + " = " + std::to_string(count) +
                             " bytes); is it damaged?");
    return array;
}

Result<IdxArray> readIdxFile(const std::string& path, int rank) {
    // The largest file a valid one can be, compressed or not (gzip adds a few bytes to data
    // that does not compress).
    const auto maxBytes = std::size_t(kMaxIdxFileBytes);
    Result<std::string> bytes = nc::core::readWholeFile(path, maxBytes);
    if (!bytes)
        return bytes.status();
    return readIdxBytes(bytes.value(), rank, path);
}

} // namespace nc::engine
