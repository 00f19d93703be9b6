# Influence maps of a layer's channels (Besserve et al.): the panel, its job, cache and files.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/EimGallery.cpp
  ${CMAKE_CURRENT_LIST_DIR}/EimGallery.h
  ${CMAKE_CURRENT_LIST_DIR}/InfluenceCache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/InfluenceCache.h
  ${CMAKE_CURRENT_LIST_DIR}/InfluenceMapFile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/InfluenceMapFile.h
  ${CMAKE_CURRENT_LIST_DIR}/InfluencePanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/InfluencePanel.h
  ${CMAKE_CURRENT_LIST_DIR}/InfluenceTasks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/InfluenceTasks.h
)
