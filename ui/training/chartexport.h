#pragma once
// Writing a chart out: a picture (PNG, SVG or PDF, chosen by the file's suffix) or its
// curves' points as CSV. Written atomically: a failed export leaves no half file behind.

#include <QString>

class QCustomPlot;

namespace nc::ui {

// PNG, SVG or PDF by `path`'s suffix; false with `error` naming the file otherwise.
bool exportChartPicture(QCustomPlot* plot, const QString& path, QString* error);
// Writes `text` to `path` atomically.
bool writeTextFile(const QString& path, const QByteArray& text, QString* error);

} // namespace nc::ui
