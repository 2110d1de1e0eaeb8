"""The engine: packet sets through gates (SG, NACL, routes, gateways, endpoints, peering, TGW) to a verdict."""
