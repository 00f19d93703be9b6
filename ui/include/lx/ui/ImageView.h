#pragma once
// Shows one image scaled to fit (aspect ratio kept) under a caption. Small images are enlarged with
// nearest-neighbour sampling so their pixels stay crisp. Keeps showing the last image until the next
// one arrives; shows a placeholder text while it has none.
#include <QImage>
#include <QString>
#include <QWidget>

namespace lx::ui {

class ImageView : public QWidget {
    Q_OBJECT
public:
    ImageView(const QString& title, QWidget* parent);

    void setImage(const QImage& image);
    void clear();
    const QImage& image() const { return mImage; }

    void setTitle(const QString& title);
    const QString& title() const { return mTitle; }
    void setSubtitle(const QString& subtitle);
    void setPlaceholderText(const QString& text);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QRect imageArea() const;
    int captionHeight() const;

    QString mTitle;
    QString mSubtitle;
    QString mPlaceholder;
    QImage mImage;
};

} // namespace lx::ui
