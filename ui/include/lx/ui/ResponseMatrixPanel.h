#pragma once
// The "Matrix" tab: the latent response matrix M (rows = intervened dim, columns = responding dim) as
// an annotated heatmap, a line saying where its samples came from, a Compute button and an Export
// menu (plot as PNG/PDF, M as .npy). ResponsesView runs the computation and hands the result here.
#include "lx/ui/ResponseTypes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace lx::ui {

class ExportMenu;
class ResponseMatrixPlot;

class ResponseMatrixPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResponseMatrixPanel(QWidget* parent);

    void showResult(const ResponseMatrixResult& result);
    void clear(const QString& placeholder);
    bool hasResult() const { return mResult.dims > 0; }
    const ResponseMatrixResult& result() const { return mResult; }
    QString summaryText() const;
    QString noteText() const;

    ResponseMatrixPlot* plot() const { return mPlot; }
    QPushButton* computeButton() const { return mCompute; }
    ExportMenu* exportMenu() const { return mExport; }

Q_SIGNALS:
    void computeRequested();
    void cellClicked(int row, int col);
    void message(const QString& text);

private:
    ResponseMatrixResult mResult;
    ResponseMatrixPlot* mPlot = nullptr;
    QPushButton* mCompute = nullptr;
    QToolButton* mExportButton = nullptr;
    ExportMenu* mExport = nullptr;
    QLabel* mSummary = nullptr;
    QLabel* mNote = nullptr;
};

} // namespace lx::ui
