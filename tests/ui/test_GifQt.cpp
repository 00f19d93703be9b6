// lx::Gif (core's animated GIF writer) read back with Qt's GIF decoder: frame count, exact grey levels,
// the 3-3-2 palette for colour, frames large and varied enough for the LZW table to fill and restart.
#include "lx/Error.h"
#include "lx/Gif.h"

#include <QBuffer>
#include <QImageReader>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QVector<QImage> decode(const std::string& bytes)
{
    QByteArray data = QByteArray::fromStdString(bytes);
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "gif");
    QVector<QImage> frames;
    QImage frame;
    while (reader.read(&frame))
        frames << frame;
    return frames;
}

} // namespace

class TestGifQt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QImageReader::supportedImageFormats().contains("gif"),
                 "Qt's GIF reader (qtbase imageformats) is needed to check the writer");
    }

    void grayFramesExact()
    {
        // 3 frames of 128 x 96 with every grey level and pseudo-random texture (the table fills and restarts).
        std::vector<lx::Image8> frames;
        uint32_t state = 1;
        for (int f = 0; f < 3; ++f) {
            lx::Image8 image(128, 96, 1);
            for (size_t p = 0; p < image.pixels.size(); ++p) {
                state = state * 1664525u + 1013904223u;
                image.pixels[p] = f == 0 ? uint8_t(p % 256) : f == 1 ? uint8_t(state >> 24) : uint8_t((p / 128) * 7);
            }
            frames.push_back(image);
        }
        const QVector<QImage> back = decode(lx::Gif::encode(frames, 4));
        QCOMPARE(back.size(), 3);
        for (int f = 0; f < 3; ++f) {
            QCOMPARE(back[f].size(), QSize(128, 96));
            for (int y = 0; y < 96; ++y)
                for (int x = 0; x < 128; ++x)
                    QCOMPARE(qGray(back[f].pixel(x, y)), int(frames[size_t(f)].pixels[size_t(y * 128 + x)]));
        }
    }

    void colourQuantised()
    {
        lx::Image8 image(16, 16, 3);
        for (int y = 0; y < 16; ++y) {
            for (int x = 0; x < 16; ++x) {
                uint8_t* p = image.at(x, y);
                p[0] = uint8_t(x * 17);
                p[1] = uint8_t(y * 17);
                p[2] = uint8_t((x + y) * 8);
            }
        }
        const QVector<QImage> back = decode(lx::Gif::encode({image, image}, 10, 1));
        QCOMPARE(back.size(), 2);
        for (int y = 0; y < 16; ++y) {
            for (int x = 0; x < 16; ++x) {
                const uint8_t* p = image.at(x, y);
                uint8_t q[3];
                lx::Gif::paletteColour(lx::Gif::colourIndex(p[0], p[1], p[2]), q);
                const QRgb c = back[1].pixel(x, y);
                QCOMPARE(qRed(c), int(q[0]));
                QCOMPARE(qGreen(c), int(q[1]));
                QCOMPARE(qBlue(c), int(q[2]));
                QVERIFY(std::abs(int(q[0]) - p[0]) <= 19 && std::abs(int(q[2]) - p[2]) <= 43); // nearest level
            }
        }
        // Palette ends: black and white are exact.
        QCOMPARE(lx::Gif::colourIndex(0, 0, 0), 0);
        QCOMPARE(lx::Gif::colourIndex(255, 255, 255), 255);
    }

    void badInput()
    {
        QVERIFY_THROWS_EXCEPTION(lx::Error, lx::Gif::encode({}, 4));
        QVERIFY_THROWS_EXCEPTION(lx::Error, lx::Gif::encode({lx::Image8(4, 4, 1), lx::Image8(5, 4, 1)}, 4));
        QVERIFY_THROWS_EXCEPTION(lx::Error, lx::Gif::encode({lx::Image8(4, 4, 2)}, 4));
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(
            lx::Error,
            lx::Gif::write(dir.filePath(QStringLiteral("no/x.gif")).toStdString(), {lx::Image8(4, 4, 1)}, 4));
        lx::Gif::write(dir.filePath(QStringLiteral("x.gif")).toStdString(), {lx::Image8(4, 4, 1, 200)}, 4);
        QCOMPARE(qGray(QImage(dir.filePath(QStringLiteral("x.gif"))).pixel(2, 2)), 200);
    }
};

QTEST_MAIN(TestGifQt)
#include "test_GifQt.moc"
