# VQ-VAE codes and their causal transition (CT-VAE, Gendron et al.).
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/VqActionPalette.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqActionPalette.h
  ${CMAKE_CURRENT_LIST_DIR}/VqCodeGrid.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqCodeGrid.h
  ${CMAKE_CURRENT_LIST_DIR}/VqEvaluatePanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqEvaluatePanel.h
  ${CMAKE_CURRENT_LIST_DIR}/VqFactorPicker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqFactorPicker.h
  ${CMAKE_CURRENT_LIST_DIR}/VqRetrievalPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqRetrievalPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/VqRetrievalPlot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqRetrievalPlot.h
  ${CMAKE_CURRENT_LIST_DIR}/VqStateCommand.h
  ${CMAKE_CURRENT_LIST_DIR}/VqTasks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqTasks.h
  ${CMAKE_CURRENT_LIST_DIR}/VqTypes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/VqView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/VqView.h
  ${CMAKE_CURRENT_LIST_DIR}/VqViewEdits.cpp
)
