#include "TestSupport.h"

#include "lx/Error.h"
#include "lx/ErrorMessage.h"

#include <new>

using namespace std::string_literals;

// lx::Error keeps one printable line of any message: what the GUI and CLI show a user.
class TestError : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void firstLineTrimsAndSkipsBlankLines()
    {
        QCOMPARE(lx::firstLine("  \n\t first one \t\nsecond"), "first one"s);
        QCOMPARE(lx::firstLine(""), "unknown error"s);
        QCOMPARE(lx::firstLine(" \n \r\n"), "unknown error"s);
    }
    void firstLinePrefersTheTorchScriptRuntimeError()
    {
        const std::string torch = "The following operation failed in the TorchScript interpreter.\n"
                                  "Traceback of TorchScript (most recent call last):\n  File \"code.py\", line 3\n"
                                  "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3 and 4x2)\n";
        QCOMPARE(lx::firstLine(torch), "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x2)"s);
    }
    void firstLineNeverReturnsControlBytes()
    {
        // Regression (fuzz_npy): text after "\nRuntimeError: " made only of NULs used to be returned as
        // the message, which printed as nothing.
        QCOMPARE(lx::firstLine("x.npy: bad <\0\nRuntimeError: \0\0\0"s), "x.npy: bad <"s);
        QCOMPARE(lx::firstLine("\0\0\n\x01\x02"s), "unknown error"s);
        QCOMPARE(lx::firstLine("a\0b\x7f" "c"s), "abc"s);
        QCOMPARE(lx::firstLine("tab\there"), "tab here"s);
    }
    void printableEscapesAndCuts()
    {
        QCOMPARE(lx::printable("<f4"), "<f4"s);
        QCOMPARE(lx::printable("<\0\n\xff"s), "<\\x00\\x0a\\xff"s);
        QCOMPARE(lx::printable(std::string(50, 'a'), 10), std::string(10, 'a') + "...");
        QCOMPARE(lx::printable(""), ""s);
    }
    void errorMessagesAreOneLine()
    {
        QCOMPARE(std::string(lx::Error("card.json: bad key\nmore detail").what()), "card.json: bad key"s);
        QCOMPARE(lx::errorMessage(std::bad_alloc()).rfind("out of memory", 0), size_t(0));
        QCOMPARE(lx::errorMessage(std::runtime_error("\nRuntimeError: boom\n")), "boom"s);
    }
};

QTEST_APPLESS_MAIN(TestError)
#include "test_Error.moc"
