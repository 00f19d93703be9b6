#include "ui/figure/ExportMenu.h"

#include <QSaveFile>

#include "lx/Error.h"
#include "lx/Npy.h"
#include "ui/compute/ErrorText.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

#include <utility>

namespace lx::ui {
namespace {

const char* const kDirKey = "lastExportDir";

} // namespace

QString ExportMenu::lastDir() { return QSettings().value(QLatin1String(kDirKey), QDir::homePath()).toString(); }

void ExportMenu::rememberDir(const QString& path)
{
    QSettings().setValue(QLatin1String(kDirKey), QFileInfo(path).absolutePath());
}

ExportMenu::ExportMenu(const QString& title, QWidget* parent)
    : QMenu(title, parent)
{
}

void ExportMenu::addPlot(const QString& stem, PlotSaver saver)
{
    addSaveAction(tr("Save Plot as PNG or PDF…"), tr("Save Plot"), stem, tr("PNG image (*.png);;PDF document (*.pdf)"),
                  std::move(saver));
}

void ExportMenu::addImage(const QString& text, const QString& stem, PlotSaver saver)
{
    addSaveAction(text, tr("Save Image"), stem, tr("PNG image (*.png)"), std::move(saver));
}

void ExportMenu::addSaveAction(const QString& text, const QString& caption, const QString& stem, const QString& filter,
                               PlotSaver saver)
{
    addAction(text, this, [this, caption, stem, filter, saver] {
        const QString path = QFileDialog::getSaveFileName(
            parentWidget(), caption, QDir(lastDir()).filePath(stem + QStringLiteral(".png")), filter);
        if (path.isEmpty())
            return;
        rememberDir(path);
        QString error;
        if (saver(path, &error))
            report(tr("Saved %1").arg(path), false);
        else
            report(error, true);
    });
}

void ExportMenu::addArrays(const QString& stem, ArraysGetter getter)
{
    addAction(tr("Save Data as .npy…"), this, [this, stem, getter] {
        const QMap<QString, lx::Array> arrays = getter();
        if (arrays.isEmpty()) {
            report(tr("Nothing to save yet: compute first"), true);
            return;
        }
        QString path;
        if (arrays.size() == 1) {
            path = QFileDialog::getSaveFileName(parentWidget(), tr("Save Data"),
                                                QDir(lastDir()).filePath(stem + QStringLiteral(".npy")),
                                                tr("NumPy array (*.npy)"));
        } else {
            path = QFileDialog::getExistingDirectory(parentWidget(), tr("Folder for %1 .npy files").arg(arrays.size()),
                                                     lastDir());
        }
        if (path.isEmpty())
            return;
        rememberDir(arrays.size() == 1 ? path : QDir(path).filePath(QStringLiteral("x")));
        try {
            const QStringList written = writeArrays(path, arrays);
            report(tr("Saved %1").arg(written.join(QStringLiteral(", "))), false);
        } catch (const std::exception& e) {
            report(errorText(e), true);
        }
    });
}

QStringList ExportMenu::writeArrays(const QString& dirOrFile, const QMap<QString, lx::Array>& arrays)
{
    QStringList written;
    if (arrays.size() == 1 && dirOrFile.endsWith(QLatin1String(".npy"), Qt::CaseInsensitive)) {
        lx::Npy::write(dirOrFile.toStdString(), arrays.first());
        return {dirOrFile};
    }
    if (!QDir().mkpath(dirOrFile))
        throw lx::Error("cannot create folder " + dirOrFile.toStdString());
    for (auto it = arrays.begin(); it != arrays.end(); ++it) {
        const QString path = QDir(dirOrFile).filePath(it.key() + QStringLiteral(".npy"));
        lx::Npy::write(path.toStdString(), it.value());
        written << path;
    }
    return written;
}

void ExportMenu::report(const QString& text, bool failed)
{
    if (failed)
        QMessageBox::warning(parentWidget(), tr("Export"), text);
    Q_EMIT message(text);
}

bool ExportMenu::saveWidget(QWidget* widget, const QString& path, QString* error)
{
    const QImage image = widget->grab().toImage();
    QSaveFile file(path);
    if (image.isNull() || !file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace lx::ui
