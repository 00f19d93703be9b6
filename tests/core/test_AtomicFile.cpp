#include "TestSupport.h"

#include "lx/AtomicFile.h"

#include <QTemporaryDir>

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
    void unwritableKeepsOldFile()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: permission bits do not stop writes; the missing-folder case below still runs");
        QTemporaryDir dir;
        const std::string path = dir.filePath("keep.txt").toStdString();
        lx::AtomicFile::write(path, "old");
        QVERIFY(::chmod(dir.path().toLocal8Bit().constData(), 0500) == 0);
        LX_VERIFY_ERROR(lx::AtomicFile::write(path, "new"), "cannot write");
        ::chmod(dir.path().toLocal8Bit().constData(), 0700);
        QCOMPARE(lx::AtomicFile::read(path), std::string("old"));
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
