#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"

#include <QTemporaryDir>

#include <csignal>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writeAndRead()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("a.bin").toStdString();
        const std::string bytes("one\0two", 7);
        lx::AtomicFile::write(path, bytes);
        QCOMPARE(lx::AtomicFile::read(path), bytes);
        lx::AtomicFile::write(path, "replaced");
        QCOMPARE(lx::AtomicFile::read(path), std::string("replaced"));
        // No temporary files are left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }
    // A write that fails part-way keeps the old file whole and leaves no temporary behind. The failure
    // is real for every user, root included (CI runs as root, where permission bits stop nothing): the
    // process's file-size limit (RLIMIT_FSIZE) is lowered below the new content, so the write itself
    // fails with EFBIG after the temporary was created.
    void unwritableKeepsOldFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("keep.txt").toStdString();
        lx::AtomicFile::write(path, "old");
        rlimit saved{};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
        void (*previous)(int) = std::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of the signal
        rlimit small = saved;
        small.rlim_cur = 16;
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        const std::string big(4096, 'n');
        bool threw = false;
        std::string message;
        try {
            lx::AtomicFile::write(path, big);
        } catch (const lx::Error& e) {
            threw = true;
            message = e.what();
        }
        ::setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previous);
        QVERIFY(threw);
        QVERIFY2(message.find("cannot write " + path) == 0, message.c_str());
        QCOMPARE(lx::AtomicFile::read(path), std::string("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("keep.txt")});

        // Without root, a folder without write permission is refused before anything is written.
        if (::geteuid() != 0) {
            QVERIFY(::chmod(dir.path().toLocal8Bit().constData(), 0500) == 0);
            LX_VERIFY_ERROR(lx::AtomicFile::write(path, "new"), "cannot write");
            ::chmod(dir.path().toLocal8Bit().constData(), 0700);
            QCOMPARE(lx::AtomicFile::read(path), std::string("old"));
        }
    }
    void missingFolderAndDirectory()
    {
        QTemporaryDir dir;
        LX_VERIFY_ERROR(lx::AtomicFile::write(dir.filePath("no/such/dir/x.npy").toStdString(), "x"), "cannot write");
        LX_VERIFY_ERROR(lx::AtomicFile::write(dir.path().toStdString(), "x"), "it is a directory");
        LX_VERIFY_ERROR(lx::AtomicFile::read(dir.filePath("missing").toStdString()), "cannot read");
        LX_VERIFY_ERROR(lx::AtomicFile::read(dir.path().toStdString()), "it is a directory");
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    }
};

QTEST_APPLESS_MAIN(TestAtomicFile)
#include "test_AtomicFile.moc"
