// lx::Sha256 against the FIPS 180-4 / NIST example vectors, in one call, in odd-sized pieces and from a file.
#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/Sha256.h"

#include <QTemporaryDir>

class TestSha256 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fipsVectors()
    {
        QCOMPARE(lx::Sha256::hex("abc"),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(lx::Sha256::hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        // Two blocks: the padding spills into a second block.
        QCOMPARE(lx::Sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                 std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        QCOMPARE(lx::Sha256::hex(std::string(1000000, 'a')),
                 std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }
    void piecesGiveTheSameDigest()
    {
        std::string bytes;
        for (int i = 0; i < 1000; ++i)
            bytes.push_back(char(i * 31 + 7));
        const std::string whole = lx::Sha256::hex(bytes);
        for (size_t piece : {size_t(1), size_t(3), size_t(63), size_t(64), size_t(65), size_t(500)}) {
            lx::Sha256 sha;
            for (size_t at = 0; at < bytes.size(); at += piece)
                sha.update(bytes.substr(at, piece));
            QCOMPARE(sha.finishHex(), whole);
        }
        // Lengths around the 56-byte padding boundary.
        for (size_t n : {size_t(55), size_t(56), size_t(57), size_t(119), size_t(120)}) {
            lx::Sha256 sha;
            sha.update(bytes.substr(0, n));
            const std::string once = sha.finishHex();
            sha.reset();
            sha.update(bytes.data(), n);
            QCOMPARE(sha.finishHex(), once);
        }
    }
    void file()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("abc.bin").toStdString();
        lx::AtomicFile::write(path, "abc");
        QCOMPARE(lx::Sha256::fileHex(path), lx::Sha256::hex("abc"));
        const std::string big = dir.filePath("big.bin").toStdString();
        lx::AtomicFile::write(big, std::string(200000, 'a'));
        QCOMPARE(lx::Sha256::fileHex(big), lx::Sha256::hex(std::string(200000, 'a')));
        LX_VERIFY_ERROR(lx::Sha256::fileHex(dir.filePath("missing.pt").toStdString()), "cannot read");
        LX_VERIFY_ERROR(lx::Sha256::fileHex(dir.path().toStdString()), "cannot read");
    }
};

QTEST_APPLESS_MAIN(TestSha256)
#include "test_Sha256.moc"
