#include "chartexport.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryDir>

#include <cstdio>

namespace nc::ui {

bool writeTextFile(const QString& path, const QByteArray& text, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        *error = QObject::tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool exportChartPicture(QCustomPlot* plot, const QString& path, QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "png" && suffix != "svg" && suffix != "pdf") {
        *error = QObject::tr("%1: choose a .png, .svg, .pdf or .csv file").arg(path);
        return false;
    }
    // Drawn into a temporary file next to the target, then moved over it.
    QTemporaryDir scratch(QFileInfo(path).absolutePath() + "/.export-XXXXXX");
    if (!scratch.isValid()) {
        *error = QObject::tr("Could not write in %1").arg(QFileInfo(path).absolutePath());
        return false;
    }
    const QString temporary = scratch.filePath("chart." + suffix);
    bool drawn = false;
    if (suffix == "png") {
        drawn = plot->savePng(temporary, plot->width(), plot->height(), 2.0);
    } else if (suffix == "pdf") {
        drawn = plot->savePdf(temporary, plot->width(), plot->height());
    } else {
        QSvgGenerator svg;
        svg.setFileName(temporary);
        svg.setSize(plot->size());
        svg.setViewBox(QRect(QPoint(0, 0), plot->size()));
        svg.setTitle(QStringLiteral("NetCanvas chart"));
        QCPPainter painter;
        drawn = painter.begin(&svg);
        if (drawn) {
            plot->toPainter(&painter, plot->width(), plot->height());
            drawn = painter.end();
        }
    }
    // rename(2) replaces the old file in one step.
    if (!drawn || std::rename(QFile::encodeName(temporary).constData(),
                              QFile::encodeName(path).constData()) != 0) {
        *error = QObject::tr("Could not write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace nc::ui
