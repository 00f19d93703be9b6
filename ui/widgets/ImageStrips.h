#pragma once
// Rows of equally sized images, each row with a label on its left and an optional caption above every
// column: traversal strips (one row per latent dimension) and iterated responses (one row). The tiles
// grow with the width up to kMaxTile pixels; small images are enlarged with crisp pixels.
#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

namespace lx::ui {

class ImageStrips : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxTile = 96;
    static constexpr int kMinTile = 24;

    struct Row {
        QString label;
        QVector<QImage> images;
    };

    explicit ImageStrips(QWidget* parent);

    void setRows(const QVector<Row>& rows, const QStringList& columnCaptions = {});
    void clear(const QString& placeholder);
    int rowCount() const { return static_cast<int>(mRows.size()); }
    const Row& row(int index) const { return mRows[index]; }
    const QStringList& columnCaptions() const { return mCaptions; }

    // The strips as drawn (for export): a PNG through QSaveFile. False with a one-line error.
    bool saveImage(const QString& path, QString* error) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {160, 60}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int columns() const;
    int labelWidth() const;
    int tileSize(int width) const;
    int captionHeight() const;

    QVector<Row> mRows;
    QStringList mCaptions;
    QString mPlaceholder;
};

} // namespace lx::ui
