#include "ui/figure/FigureMenu.h"

#include "lx/Error.h"
#include "lx/FigureData.h"
#include "ui/compute/ErrorText.h"
#include "ui/figure/FigureOptionsDialog.h"
#include "ui/figure/FigureWriter.h"
#include "ui/figure/HybridGridFigure.h"

#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSettings>

#include <spdlog/spdlog.h>

namespace lx::ui {
namespace {

const char* const kStyleKey = "figure/style";

QString sidecarOf(const QString& path)
{
    const QFileInfo info(path);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral(".session.json"));
}

lx::FigureStyle rememberedStyle()
{
    const QString json = QSettings().value(QLatin1String(kStyleKey)).toString();
    if (json.isEmpty())
        return {};
    try {
        return lx::FigureStyle::fromJson(json.toStdString());
    } catch (const lx::Error&) {
        return {};
    }
}

} // namespace

FigureMenu::FigureMenu(const QString& title, QWidget* parent)
    : ExportMenu(title, parent)
    , mStyle(rememberedStyle())
{
    mSave = addAction(tr("Save Figure (PDF, SVG, PNG)…"), this, [this] {
        const lx::FigureSpec spec = specFor(QStringLiteral("x.pdf"));
        QString stem = QString::fromStdString("grid-" + spec.layer + "-" + std::to_string(spec.channels.size()) + "ch");
        const QString path = QFileDialog::getSaveFileName(
            parentWidget(), tr("Save Figure"), QDir(lastDir()).filePath(stem + QStringLiteral(".pdf")),
            tr("PDF document (*.pdf);;SVG drawing (*.svg);;PNG image (*.png)"));
        if (path.isEmpty())
            return;
        rememberDir(path);
        try {
            const QStringList written = saveFigure(path);
            report(tr("Saved %1").arg(written.join(QStringLiteral(" and "))), false);
        } catch (const std::exception& e) {
            report(errorText(e), true);
        }
    });
    mSave->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    mSave->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    mCopy = addAction(tr("Copy Figure"), this, [this] {
        copyFigure();
        report(tr("Copied the figure (%1 dpi PNG) to the clipboard").arg(mStyle.dpi), false);
    });
    mCopy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    mCopy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    mData = addAction(tr("Save Data (.npy + CSV)…"), this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(parentWidget(), tr("Folder for the figure's data"), lastDir());
        if (folder.isEmpty())
            return;
        rememberDir(QDir(folder).filePath(QStringLiteral("x")));
        try {
            const QStringList written = saveData(folder);
            report(tr("Saved %1 files in %2").arg(written.size()).arg(folder), false);
        } catch (const std::exception& e) {
            report(errorText(e), true);
        }
    });
    addSeparator();
    addAction(tr("Figure Options…"), this, [this] {
        const QString fallback = mSpec ? QString::fromStdString(mSpec->defaultTitle()) : QString();
        FigureOptionsDialog dialog(mStyle, fallback, parentWidget());
        if (dialog.exec() == QDialog::Accepted)
            setFigureStyle(dialog.style());
    });
    // The shortcuts work while the menu is closed: the parent view owns them too.
    if (parent)
        parent->addActions({mSave, mCopy});
    updateActions();
}

void FigureMenu::setFigure(const lx::HybridGridResult& grid, double low, double high, const lx::FigureSpec& spec)
{
    mGrid = grid;
    mLow = low;
    mHigh = high;
    mSpec = spec;
    updateActions();
}

void FigureMenu::clearFigure()
{
    mSpec.reset();
    mGrid = lx::HybridGridResult();
    updateActions();
}

void FigureMenu::setFigureStyle(const lx::FigureStyle& style)
{
    mStyle = style;
    QSettings().setValue(QLatin1String(kStyleKey), QString::fromStdString(style.toJson()));
}

void FigureMenu::updateActions()
{
    for (QAction* a : {mSave, mCopy, mData})
        a->setEnabled(hasFigure());
}

lx::FigureSpec FigureMenu::specFor(const QString& path) const
{
    if (!mSpec)
        throw lx::Error("no figure yet: compute the grid first");
    lx::FigureSpec spec = *mSpec;
    spec.style = mStyle;
    spec.name = QFileInfo(path).completeBaseName().toStdString();
    return spec;
}

std::optional<lx::Session> FigureMenu::currentSession() const
{
    if (!mSessionProvider)
        return std::nullopt;
    try {
        return mSessionProvider();
    } catch (const lx::Error& e) {
        spdlog::warn("figure export without a session: {}", e.what());
        return std::nullopt;
    }
}

QString FigureMenu::provenance(const lx::FigureSpec& spec, const std::optional<lx::Session>& session) const
{
    const std::string model =
        session ? QFileInfo(QString::fromStdString(session->modelPath)).fileName().toStdString() : "";
    return QString::fromStdString(spec.provenanceJson(model, session ? session->modelSha256 : "", LX_VERSION));
}

QStringList FigureMenu::saveFigure(const QString& path)
{
    const lx::FigureSpec spec = specFor(path);
    std::optional<lx::Session> session = currentSession();
    const HybridGridFigure figure(mGrid, mLow, mHigh, spec);
    FigureWriter::write(path, figure, provenance(spec, session));
    QStringList written{path};
    if (session) {
        session->figures = {spec};
        const QString sidecar = sidecarOf(path);
        session->save(sidecar.toStdString());
        written << sidecar;
    }
    Q_EMIT figureExported(spec);
    return written;
}

QStringList FigureMenu::saveData(const QString& folder)
{
    const lx::FigureSpec spec = specFor(QDir(folder).filePath(QStringLiteral("figure")));
    QStringList written;
    for (const std::string& p : lx::FigureData::writeHybridGrid(folder.toStdString(), mGrid, spec,
                                                                provenance(spec, currentSession()).toStdString()))
        written << QString::fromStdString(p);
    return written;
}

QImage FigureMenu::image() const
{
    const lx::FigureSpec spec = specFor(QStringLiteral("clipboard.png"));
    return HybridGridFigure(mGrid, mLow, mHigh, spec).rasterize(spec.style.dpi);
}

void FigureMenu::copyFigure() { QGuiApplication::clipboard()->setImage(image()); }

} // namespace lx::ui
