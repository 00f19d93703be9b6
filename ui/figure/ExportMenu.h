#pragma once
// The "Export" menu of a response plot: save the plot as PNG or PDF, save the arrays behind it as
// .npy (written atomically by lx::Npy). Each entry asks for a file (or a folder) and reports failures
// in a message box and through `message`.
#include "lx/Array.h"

#include <QMap>
#include <QMenu>

#include <functional>

namespace lx::ui {

class ExportMenu : public QMenu {
    Q_OBJECT
public:
    using PlotSaver = std::function<bool(const QString& path, QString* error)>;
    using ArraysGetter = std::function<QMap<QString, lx::Array>()>; // file stem -> array

    ExportMenu(const QString& title, QWidget* parent);

    // "Save Plot as PNG/PDF…": `saver` writes the file, named `stem`.png/.pdf by default.
    void addPlot(const QString& stem, PlotSaver saver);
    // A PNG-only entry, e.g. "Save Traversal Strips as PNG…".
    void addImage(const QString& text, const QString& stem, PlotSaver saver);
    // "Save Data as .npy…": one array: a file; several: a folder with one STEM.npy per array.
    void addArrays(const QString& stem, ArraysGetter getter);

    // Writes every array as DIR/STEM.npy (one array and `dirOrFile` ending in .npy: that file).
    // Throws lx::Error naming the file that could not be written.
    static QStringList writeArrays(const QString& dirOrFile, const QMap<QString, lx::Array>& arrays);

    // A widget as drawn, to a PNG through QSaveFile. False with a one-line `error`.
    static bool saveWidget(QWidget* widget, const QString& path, QString* error);

    // The folder of the last export (QSettings), and remembering the folder of `path`.
    static QString lastDir();
    static void rememberDir(const QString& path);

Q_SIGNALS:
    void message(const QString& text);

protected:
    // Emits `message`; a failure also shows a warning box.
    void report(const QString& text, bool failed);
    // An action that asks for a file (`caption`, `filter`, starting at `stem`.png) and saves it.
    void addSaveAction(const QString& text, const QString& caption, const QString& stem, const QString& filter,
                       PlotSaver saver);
};

} // namespace lx::ui
