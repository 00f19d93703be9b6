#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/Npy.h"

#include <QTemporaryDir>

#include <cstring>

namespace {

std::string npyBytes(const std::string& header, const std::string& payload, int version = 1)
{
    std::string out("\x93NUMPY", 6);
    out += static_cast<char>(version);
    out += '\0';
    if (version == 1) {
        out += static_cast<char>(header.size() & 0xff);
        out += static_cast<char>(header.size() >> 8);
    } else {
        for (int i = 0; i < 4; ++i)
            out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
    }
    return out + header + payload;
}

} // namespace

class TestNpy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("x.npy").toStdString();
        const lx::Array a({2, 3}, {1.5f, -2, 3, 4, 5, 6e-8f});
        lx::Npy::write(path, a);
        QCOMPARE(lx::Npy::read(path), a);
        const lx::Array v({5}, {1, 2, 3, 4, 5});
        QCOMPARE(lx::Npy::decode(lx::Npy::encode(v), "v"), v);
    }
    void headerIsAligned()
    {
        const std::string bytes = lx::Npy::encode(lx::Array({3, 1, 2}));
        const size_t headerLen = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        QCOMPARE((10 + headerLen) % 64, size_t(0));
        QVERIFY(lxtest::contains(bytes, "'shape': (3, 1, 2)"));
        QVERIFY(lxtest::contains(lx::Npy::encode(lx::Array({5})), "'shape': (5,)"));
    }
    void readsNumpyFiles()
    {
        // Written by numpy.save in tests/fixtures/make_fixtures.py: (3, 4) float32 latents of tiny_gen.
        const lx::Array z = lx::Npy::read(lxtest::fixture("tiny_gen.z.npy"));
        QCOMPARE(z.shape(), (std::vector<int64_t>{3, 4}));
        z.requireFinite("z");
    }
    void float64AndVersion2()
    {
        double values[2] = {0.25, -3.0};
        const std::string payload(reinterpret_cast<const char*>(values), sizeof values);
        const lx::Array a =
            lx::Npy::decode(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", payload, 2), "f8");
        QCOMPARE(a.data(), (std::vector<float>{0.25f, -3.0f}));
    }
    void int64ClassIndices()
    {
        // numpy.save of an int64 array (class indices): read exactly into float32.
        const int64_t values[3] = {0, 7, -2};
        const std::string payload(reinterpret_cast<const char*>(values), sizeof values);
        const lx::Array a =
            lx::Npy::decode(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }\n", payload), "i8");
        QCOMPARE(a.data(), (std::vector<float>{0.0f, 7.0f, -2.0f}));
    }
    void rejectsBadFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const std::string f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n";
        QTest::newRow("empty") << QByteArray() << "not a .npy file";
        QTest::newRow("random") << QByteArray("PK\x03\x04 this is a zip") << "not a .npy file";
        const std::string truncated = npyBytes(f4, std::string(12, '\0'));
        QTest::newRow("truncated data") << QByteArray(truncated.data(), int(truncated.size())) << "truncated .npy data";
        const std::string cut = npyBytes(f4, "").substr(0, 20);
        QTest::newRow("truncated header") << QByteArray(cut.data(), int(cut.size())) << "truncated .npy header";
        const std::string i4 =
            npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n", std::string(8, '\0'));
        QTest::newRow("int32") << QByteArray(i4.data(), int(i4.size())) << "dtype '<i4' not supported";
        const int64_t big[2] = {3, (int64_t(1) << 24) + 1};
        const std::string i8 = npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }\n",
                                        std::string(reinterpret_cast<const char*>(big), sizeof big));
        QTest::newRow("int64 too large") << QByteArray(i8.data(), int(i8.size()))
                                         << "int64 value 16777217 (at flat index 1) is too large";
        const std::string be =
            npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", std::string(4, '\0'));
        QTest::newRow("big endian") << QByteArray(be.data(), int(be.size())) << "dtype '>f4' not supported";
        const std::string fo =
            npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", std::string(16, '\0'));
        QTest::newRow("fortran") << QByteArray(fo.data(), int(fo.size())) << "Fortran-ordered";
        const std::string noShape = npyBytes("{'descr': '<f4', 'fortran_order': False, }\n", "");
        QTest::newRow("no shape") << QByteArray(noShape.data(), int(noShape.size())) << "has no 'shape'";
        const std::string huge =
            npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999, 99999999), }\n", "");
        QTest::newRow("huge") << QByteArray(huge.data(), int(huge.size())) << "too large";
        // Found by fuzz_npy under UBSan: the product of these two dims used to overflow int64 before the
        // size check.
        const std::string overflow =
            npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (17179869184, 999999999999), }\n", "");
        QTest::newRow("product overflow") << QByteArray(overflow.data(), int(overflow.size())) << "too large";
        // Found by fuzz_npy: a descr holding "\nRuntimeError: " and NUL bytes used to make the message a
        // line of NULs (firstLine jumped past the file name); the dtype is now quoted with escapes.
        using namespace std::string_literals;
        const std::string nul = npyBytes(
            "{'descr': '<\0\nRuntimeError: \0\0f4', 'fortran_order': False, 'shape': (1,), }\n"s, std::string(4, '\0'));
        QTest::newRow("control bytes in descr")
            << QByteArray(nul.data(), int(nul.size())) << "dtype '<\\x00\\x0aRuntimeError: \\x00\\x00f4' not supported";
    }
    void rejectsBadFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        LX_VERIFY_ERROR(lx::Npy::decode(bytes.toStdString(), "Z.npy"), message.toStdString());
        LX_VERIFY_ERROR(lx::Npy::decode(bytes.toStdString(), "Z.npy"), "Z.npy");
    }
    void fuzzCorpusEntriesGiveReadableMessages()
    {
        // Every file of the fuzz corpus either reads or fails with a printable one-line message that
        // names the file.
        const QDir corpus(QString::fromStdString(lxtest::sourceDir() + "/tests/fuzz/corpus/npy"));
        const QStringList files = corpus.entryList(QDir::Files);
        QVERIFY(files.size() >= 10);
        for (const QString& f : files) {
            QFile in(corpus.filePath(f));
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QByteArray bytes = in.readAll();
            try {
                lx::Npy::decode(bytes.toStdString(), f.toStdString());
            } catch (const lx::Error& e) {
                const std::string what = e.what();
                QVERIFY2(what.rfind(f.toStdString() + ": ", 0) == 0, what.c_str());
                for (const char c : what)
                    QVERIFY2(static_cast<unsigned char>(c) >= 0x20, qPrintable(f));
            }
        }
    }
    void fileErrors()
    {
        QTemporaryDir dir;
        LX_VERIFY_ERROR(lx::Npy::read(dir.filePath("missing.npy").toStdString()), "missing.npy");
        LX_VERIFY_ERROR(lx::Npy::write(dir.filePath("no/dir/x.npy").toStdString(), lx::Array({1})), "cannot write");
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 0);
    }
};

QTEST_APPLESS_MAIN(TestNpy)
#include "test_Npy.moc"
