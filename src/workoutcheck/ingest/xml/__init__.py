"""The XML formats: ``gpx``, ``tcx`` and ``pwx`` readers, and ``safety``, which every XML byte passes first.

``safety.decode_xml`` decodes the bytes and refuses DTDs and entities before gpxpy or
defusedxml see them. Nothing is imported here, so detecting a format never pulls in gpxpy.
"""
