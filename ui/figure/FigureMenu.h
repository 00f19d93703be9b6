#pragma once
// The "Export" menu of a paper figure (today the module hybrid grid): Save Figure (PDF, SVG or
// PNG, Ctrl+Shift+E), Copy Figure (PNG at the style's DPI), Save Data (.npy + CSV) and Figure Options.
// Every figure export also writes FIG.session.json beside FIG: the session with this figure recorded,
// so `latent-explorer-cli render FIG.session.json --out FIG.pdf` remakes it; and `figureExported`
// lets the window record it in the open session too. The style is remembered across runs (QSettings).
#include "lx/FigureSpec.h"
#include "lx/HybridGrid.h"
#include "lx/Session.h"
#include "ui/figure/ExportMenu.h"

#include <QImage>

#include <functional>
#include <optional>

namespace lx::ui {

class FigureMenu : public ExportMenu {
    Q_OBJECT
public:
    // The current session (lx::Session, for the model hash and the sidecar); may throw lx::Error.
    using SessionProvider = std::function<lx::Session()>;

    FigureMenu(const QString& title, QWidget* parent);

    void setSessionProvider(SessionProvider provider) { mSessionProvider = std::move(provider); }
    // The figure to export: the grid (model units, [low, high] = output_range) and what it shows
    // (spec.style is replaced by the menu's style). Enables the actions.
    void setFigure(const lx::HybridGridResult& grid, double low, double high, const lx::FigureSpec& spec);
    void clearFigure();
    bool hasFigure() const { return mSpec.has_value(); }

    lx::FigureStyle figureStyle() const { return mStyle; }
    void setFigureStyle(const lx::FigureStyle& style); // also remembered in QSettings
    // The spec as it would be exported to `path` (its name is the file's stem).
    lx::FigureSpec specFor(const QString& path) const;

    // Without dialogs (the actions call these; tests too). Throw lx::Error with a one-line message.
    // saveFigure returns the files written: FIG and, when a session is available, FIG.session.json.
    QStringList saveFigure(const QString& path);
    QStringList saveData(const QString& folder);
    QImage image() const; // the figure at the style's DPI
    void copyFigure(); // image() to the clipboard

    QAction* saveAction() const { return mSave; }
    QAction* copyAction() const { return mCopy; }

Q_SIGNALS:
    void figureExported(const lx::FigureSpec& spec);

private:
    QString provenance(const lx::FigureSpec& spec, const std::optional<lx::Session>& session) const;
    std::optional<lx::Session> currentSession() const;
    void updateActions();

    SessionProvider mSessionProvider;
    lx::HybridGridResult mGrid;
    double mLow = -1.0;
    double mHigh = 1.0;
    std::optional<lx::FigureSpec> mSpec;
    lx::FigureStyle mStyle;
    QAction* mSave = nullptr;
    QAction* mCopy = nullptr;
    QAction* mData = nullptr;
};

} // namespace lx::ui
