#pragma once
// An annotated heatmap of a matrix (QCustomPlot): one square cell per entry, its value written in it
// (while the cells are big enough to hold text), row 0 at the top, axis titles and a colour scale
// (magma, 0 to the largest entry). Shows the latent response matrix (rows = intervened dim, columns =
// responding dim) and the conditioned matrix (rows = factors, columns = latent dims). Clicking a cell
// emits cellClicked.
//
// QCustomPlot stays out of this header (see ModulePlot.h).
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemText;
class QMouseEvent;

namespace lx::ui {

class ResponseMatrixPlot : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMinAnnotatedCellPx = 18; // smaller cells show colour only

    explicit ResponseMatrixPlot(QWidget* parent);

    struct Labels {
        QString title;
        QString rowTitle; // left axis, e.g. "intervened dim"
        QString columnTitle; // bottom axis, e.g. "responding dim"
        QString scaleTitle; // colour scale
        QStringList rows; // tick labels; empty: 0, 1, 2, ...
        QStringList columns;
    };

    // values: [rows, cols] row-major.
    void setMatrix(const QVector<float>& values, int rows, int cols, const Labels& labels);
    void clearMatrix(const QString& placeholder);
    // Draws a frame around row `row` (-1: none).
    void setHighlightedRow(int row);

    int rows() const { return mRows; }
    int columns() const { return mCols; }
    bool isEmpty() const { return mRows == 0; }
    // What the heatmap shows at (row, col), read back from the plot's colour map data.
    double cellValue(int row, int col) const;
    // The annotation text in the cell, or an empty string (none, or cells too small for text).
    QString cellText(int row, int col) const;
    bool annotationsVisible() const;
    double scaleHigh() const;
    QString title() const { return mLabels.title; }
    // The plot widget's point at the centre of a cell (for tests and the screenshot tool).
    QPoint cellCenter(int row, int col) const;
    QWidget* canvas() const;
    QCustomPlot* plot() const { return mPlot; }

    // PNG or PDF by suffix; false with a one-line error.
    bool savePlot(const QString& path, QString* error);

Q_SIGNALS:
    void cellClicked(int row, int col);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void reset();
    void keepCellsSquare();
    void updateAnnotations();
    void onMousePress(QMouseEvent* event);

    QCustomPlot* mPlot = nullptr;
    QCPColorMap* mMap = nullptr;
    QCPColorScale* mScale = nullptr;
    QVector<QCPItemText*> mTexts;
    QVector<float> mValues;
    int mRows = 0;
    int mCols = 0;
    int mHighlightedRow = -1;
    Labels mLabels;
};

} // namespace lx::ui
