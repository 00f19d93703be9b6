# Paper figures drawn with Qt Gui only (lx::figure, shared with `latent-explorer-cli render`, so both
# give the same pixels), and the GUI's export menus and dialogs.
add_library(lx_figure
  ${CMAKE_CURRENT_LIST_DIR}/FigureWriter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/FigureWriter.h
  ${CMAKE_CURRENT_LIST_DIR}/HybridGridFigure.cpp
  ${CMAKE_CURRENT_LIST_DIR}/HybridGridFigure.h
  ${CMAKE_CURRENT_LIST_DIR}/ImageConvert.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ImageConvert.h
)
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ExportMenu.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ExportMenu.h
  ${CMAKE_CURRENT_LIST_DIR}/FigureMenu.cpp
  ${CMAKE_CURRENT_LIST_DIR}/FigureMenu.h
  ${CMAKE_CURRENT_LIST_DIR}/FigureOptionsDialog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/FigureOptionsDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/FrameSequenceWriter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/FrameSequenceWriter.h
  ${CMAKE_CURRENT_LIST_DIR}/ResultProvenance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResultProvenance.h
)
