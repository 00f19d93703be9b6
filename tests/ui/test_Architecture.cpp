// The rooms and doors of docs/ARCHITECTURE.md, read from the source tree: a feature folder of ui/
// includes only compute/, widgets/, figure/ and core, never another feature; the base folders include
// no feature; only shell/ sees every feature; ui/ never includes LibTorch and core/ never includes Qt;
// each ui/ folder's CMake fragment lists exactly the files in it.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

namespace {

const QSet<QString> kBase{QStringLiteral("compute"), QStringLiteral("widgets"), QStringLiteral("figure")};
const QString kShell = QStringLiteral("shell");

QString sourceDir() { return qEnvironmentVariable("LX_SOURCE_DIR"); }

// Whether a file in `from` may include a header of `to`.
bool mayInclude(const QString& from, const QString& to)
{
    if (from == to || from == kShell)
        return true;
    if (to == kShell)
        return false;
    return kBase.contains(to); // base folders see each other; features see the base
}

QString readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Every .h and .cpp under `dir` (recursively), as paths relative to the source tree.
QStringList sourcesUnder(const QString& dir)
{
    QStringList files;
    const QDir root(sourceDir());
    QDirIterator it(root.filePath(dir), {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << root.relativeFilePath(it.next());
    files.sort();
    return files;
}

// "ui/<folder>/<Class>.h" includes of one file, as (folder, header) pairs.
QList<QPair<QString, QString>> uiIncludes(const QString& text)
{
    static const QRegularExpression include(QStringLiteral("#include\\s+\"ui/([a-z]+)/([A-Za-z0-9_]+\\.h)\""));
    QList<QPair<QString, QString>> out;
    auto it = include.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out.append({m.captured(1), m.captured(2)});
    }
    return out;
}

} // namespace

class TestArchitecture : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!sourceDir().isEmpty() && QDir(sourceDir()).exists(QStringLiteral("ui")),
                 "LX_SOURCE_DIR must name the source tree");
    }

    // The rule itself, on cases with known answers (so the tree checks below can fail).
    void ruleSeparatesFeatures()
    {
        QVERIFY(mayInclude(QStringLiteral("influence"), QStringLiteral("influence")));
        QVERIFY(mayInclude(QStringLiteral("influence"), QStringLiteral("compute")));
        QVERIFY(mayInclude(QStringLiteral("widgets"), QStringLiteral("figure")));
        QVERIFY(mayInclude(QStringLiteral("shell"), QStringLiteral("vq")));
        QVERIFY(!mayInclude(QStringLiteral("modules"), QStringLiteral("influence")));
        QVERIFY(!mayInclude(QStringLiteral("compute"), QStringLiteral("influence")));
        QVERIFY(!mayInclude(QStringLiteral("vq"), QStringLiteral("shell")));
        const auto found =
            uiIncludes(QStringLiteral("#include \"ui/influence/InfluenceTasks.h\"\n#include \"lx/Model.h\"\n"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().first, QStringLiteral("influence"));
    }

    void noCrossFeatureIncludes()
    {
        const QStringList files = sourcesUnder(QStringLiteral("ui"));
        QVERIFY(files.size() > 50);
        QStringList violations;
        for (const QString& file : files) {
            const QString from = file.section(QLatin1Char('/'), 1, 1);
            const QString text = readAll(QDir(sourceDir()).filePath(file));
            for (const auto& [to, header] : uiIncludes(text)) {
                if (!mayInclude(from, to))
                    violations << file + QStringLiteral(" includes ui/") + to + QLatin1Char('/') + header;
                else if (!QFile::exists(
                             QDir(sourceDir()).filePath(QStringLiteral("ui/") + to + QLatin1Char('/') + header)))
                    violations << file + QStringLiteral(" includes a missing ui/") + to + QLatin1Char('/') + header;
            }
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
    }

    void uiHasNoTorchAndCoreHasNoQt()
    {
        static const QRegularExpression torch(QStringLiteral("#include\\s+[<\"](torch|ATen|c10)/"));
        static const QRegularExpression qt(QStringLiteral("#include\\s+[<\"]Q[A-Za-z]+"));
        QStringList violations;
        for (const QString& file : sourcesUnder(QStringLiteral("ui")) + sourcesUnder(QStringLiteral("app"))) {
            if (torch.match(readAll(QDir(sourceDir()).filePath(file))).hasMatch())
                violations << file + QStringLiteral(" includes LibTorch");
        }
        for (const QString& file : sourcesUnder(QStringLiteral("core"))) {
            if (qt.match(readAll(QDir(sourceDir()).filePath(file))).hasMatch())
                violations << file + QStringLiteral(" includes Qt");
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
    }

    void eachFragmentListsItsFolder()
    {
        const QDir ui(QDir(sourceDir()).filePath(QStringLiteral("ui")));
        const QStringList folders = ui.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(folders.contains(kShell));
        static const QRegularExpression listed(
            QStringLiteral("\\$\\{CMAKE_CURRENT_LIST_DIR\\}/([A-Za-z0-9_]+\\.(?:h|cpp))"));
        for (const QString& folder : folders) {
            const QDir dir(ui.filePath(folder));
            const QString fragment = readAll(dir.filePath(folder + QStringLiteral(".cmake")));
            QVERIFY2(!fragment.isEmpty(), qPrintable(QStringLiteral("ui/%1 has no %1.cmake").arg(folder)));
            QSet<QString> inList;
            auto it = listed.globalMatch(fragment);
            while (it.hasNext())
                inList.insert(it.next().captured(1));
            const QStringList present = dir.entryList({QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files);
            const QSet<QString> onDisk(present.begin(), present.end());
            QVERIFY2(inList == onDisk,
                     qPrintable(QStringLiteral("ui/%1/%1.cmake does not list exactly its files").arg(folder)));
        }
    }
};

QTEST_GUILESS_MAIN(TestArchitecture)
#include "test_Architecture.moc"
