// lx::Png checked against PNG's own definition with zlib (a library Png.cpp does not call): what
// encode() writes is parsed chunk by chunk (signature, CRCs, IHDR), inflated and unfiltered here; and a
// PNG assembled here by hand (filter 0 scanlines, zlib-compressed) decodes to its pixels.
#include "TestSupport.h"

#include "lx/Image8.h"
#include "lx/Png.h"

#include <QTemporaryDir>

#include <zlib.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

uint32_t be32(const std::string& s, size_t at)
{
    return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) | (uint32_t(uint8_t(s[at + 2])) << 8)
        | uint32_t(uint8_t(s[at + 3]));
}

void put32(std::string& s, uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        s.push_back(char((v >> shift) & 0xff));
}

void chunk(std::string& png, const char* type, const std::string& data)
{
    put32(png, uint32_t(data.size()));
    const std::string body = std::string(type, 4) + data;
    png += body;
    put32(png, uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
}

// The PNG predictors (filter types 0-4) undone in place, bpp bytes per pixel.
bool unfilter(std::vector<uint8_t>& raw, int width, int height, int bpp, std::vector<uint8_t>& out)
{
    const size_t stride = size_t(width) * size_t(bpp);
    if (raw.size() != size_t(height) * (stride + 1))
        return false;
    out.assign(size_t(height) * stride, 0);
    for (int y = 0; y < height; ++y) {
        const uint8_t type = raw[size_t(y) * (stride + 1)];
        const uint8_t* in = raw.data() + size_t(y) * (stride + 1) + 1;
        uint8_t* row = out.data() + size_t(y) * stride;
        const uint8_t* up = y > 0 ? row - stride : nullptr;
        for (size_t x = 0; x < stride; ++x) {
            const int a = x >= size_t(bpp) ? row[x - size_t(bpp)] : 0, b = up ? up[x] : 0;
            const int c = up && x >= size_t(bpp) ? up[x - size_t(bpp)] : 0;
            int pred = 0;
            switch (type) {
            case 0:
                pred = 0;
                break;
            case 1:
                pred = a;
                break;
            case 2:
                pred = b;
                break;
            case 3:
                pred = (a + b) / 2;
                break;
            case 4: {
                const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
                pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                break;
            }
            default:
                return false;
            }
            row[x] = uint8_t(in[x] + pred);
        }
    }
    return true;
}

lx::Image8 pattern(int w, int h, int channels)
{
    lx::Image8 img(w, h, channels);
    for (size_t i = 0; i < img.pixels.size(); ++i)
        img.pixels[i] = uint8_t((i * 37 + i / 7) % 256);
    return img;
}

} // namespace

class TestPng : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void encodeFollowsTheFormat_data()
    {
        QTest::addColumn<int>("channels");
        QTest::newRow("gray") << 1;
        QTest::newRow("rgb") << 3;
    }
    void encodeFollowsTheFormat()
    {
        QFETCH(int, channels);
        const lx::Image8 img = pattern(13, 7, channels);
        const std::string png = lx::Png::encode(img);
        QCOMPARE(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
        std::string idat;
        bool sawIhdr = false, sawIend = false;
        for (size_t at = 8; at < png.size();) {
            const uint32_t length = be32(png, at);
            const std::string type = png.substr(at + 4, 4);
            const std::string body = png.substr(at + 4, 4 + length);
            QCOMPARE(be32(png, at + 8 + length),
                     uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
            const std::string data = png.substr(at + 8, length);
            if (type == "IHDR") {
                sawIhdr = true;
                QCOMPARE(be32(data, 0), 13u);
                QCOMPARE(be32(data, 4), 7u);
                QCOMPARE(int(uint8_t(data[8])), 8); // bit depth
                QCOMPARE(int(uint8_t(data[9])), channels == 1 ? 0 : 2); // colour type gray / RGB
                QCOMPARE(int(uint8_t(data[12])), 0); // not interlaced
            } else if (type == "IDAT") {
                idat += data;
            } else if (type == "IEND") {
                sawIend = true;
            }
            at += 12 + length;
        }
        QVERIFY(sawIhdr && sawIend);
        std::vector<uint8_t> raw(size_t(7) * (13 * size_t(channels) + 1));
        uLongf size = uLongf(raw.size());
        QCOMPARE(uncompress(raw.data(), &size, reinterpret_cast<const Bytef*>(idat.data()), uLong(idat.size())), Z_OK);
        QCOMPARE(size_t(size), raw.size());
        std::vector<uint8_t> pixels;
        QVERIFY(unfilter(raw, 13, 7, channels, pixels));
        QVERIFY(pixels == img.pixels);
        // And back through Png::decode.
        QVERIFY(lx::Png::decode(png, "x.png") == img);
    }

    void decodesAHandMadeFile()
    {
        // 3 x 2 RGB, filter type 0 on both scanlines.
        const std::vector<uint8_t> pixels{255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90};
        std::string scanlines;
        for (int y = 0; y < 2; ++y) {
            scanlines.push_back('\0');
            scanlines.append(reinterpret_cast<const char*>(pixels.data()) + y * 9, 9);
        }
        std::vector<uint8_t> deflated(compressBound(uLong(scanlines.size())));
        uLongf size = uLongf(deflated.size());
        QCOMPARE(compress2(deflated.data(), &size, reinterpret_cast<const Bytef*>(scanlines.data()),
                           uLong(scanlines.size()), 9),
                 Z_OK);
        std::string png("\x89PNG\r\n\x1a\n", 8), ihdr;
        put32(ihdr, 3);
        put32(ihdr, 2);
        ihdr += std::string("\x08\x02\x00\x00\x00", 5);
        chunk(png, "IHDR", ihdr);
        chunk(png, "IDAT", std::string(reinterpret_cast<const char*>(deflated.data()), size));
        chunk(png, "IEND", "");
        const lx::Image8 img = lx::Png::decode(png, "hand.png");
        QCOMPARE(img.width, 3);
        QCOMPARE(img.height, 2);
        QCOMPARE(img.channels, 3);
        QVERIFY(img.pixels == pixels);
        // A flipped CRC is refused, naming the file.
        std::string bad = png;
        bad[8 + 8 + 13] ^= 1;
        LX_VERIFY_ERROR(lx::Png::decode(bad, "hand.png"), "hand.png: not a PNG file");
    }

    void fileRoundTripAndErrors()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("a.png").toStdString();
        const lx::Image8 img = pattern(4, 9, 1);
        lx::Png::write(path, img);
        QVERIFY(lx::Png::read(path) == img);
        LX_VERIFY_ERROR(lx::Png::decode("GIF89a", "x.gif"), "x.gif: not a PNG file");
        LX_VERIFY_ERROR(lx::Png::encode(lx::Image8()), "png: the image is empty");
        LX_VERIFY_ERROR(lx::Png::encode(lx::Image8(2, 2, 2)),
                        "png: images must be gray (1 channel) or RGB (3 channels), got 2");
        LX_VERIFY_ERROR(lx::Png::read(dir.filePath("missing.png").toStdString()), "missing.png");
    }
};

QTEST_APPLESS_MAIN(TestPng)
#include "test_Png.moc"
